package android.util;
public class DisplayMetrics {
    public int widthPixels;
    public int heightPixels;
    public float density;
    public DisplayMetrics() { throw new RuntimeException("Stub!"); }
}
