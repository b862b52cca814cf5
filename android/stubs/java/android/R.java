package android;
public final class R {
    public R() { throw new RuntimeException("Stub!"); }
    public static final class drawable {
        public static final int ic_dialog_info = 17301659;
        public drawable() { throw new RuntimeException("Stub!"); }
    }
}
