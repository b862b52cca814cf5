package android.app;
import android.content.DialogInterface;
public class Dialog implements DialogInterface {
    public void show() { throw new RuntimeException("Stub!"); }
    public void cancel() { throw new RuntimeException("Stub!"); }
    public void dismiss() { throw new RuntimeException("Stub!"); }
    public boolean isShowing() { throw new RuntimeException("Stub!"); }
}
