package android.content.res;
import android.util.DisplayMetrics;
public class Resources {
    public DisplayMetrics getDisplayMetrics() { throw new RuntimeException("Stub!"); }
    public String getString(int id) { throw new RuntimeException("Stub!"); }
}
