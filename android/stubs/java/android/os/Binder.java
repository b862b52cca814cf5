package android.os;
public class Binder implements IBinder {
    public Binder() { throw new RuntimeException("Stub!"); }
    public boolean isBinderAlive() { throw new RuntimeException("Stub!"); }
}
