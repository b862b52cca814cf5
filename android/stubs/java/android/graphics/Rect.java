package android.graphics;
public final class Rect {
    public int left;
    public int top;
    public int right;
    public int bottom;
    public Rect() { throw new RuntimeException("Stub!"); }
    public Rect(int left, int top, int right, int bottom) { throw new RuntimeException("Stub!"); }
    public final int width() { throw new RuntimeException("Stub!"); }
    public final int height() { throw new RuntimeException("Stub!"); }
}
