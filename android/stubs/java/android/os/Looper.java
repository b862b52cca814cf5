package android.os;
public final class Looper {
    public static Looper getMainLooper() { throw new RuntimeException("Stub!"); }
    public static Looper myLooper() { throw new RuntimeException("Stub!"); }
}
