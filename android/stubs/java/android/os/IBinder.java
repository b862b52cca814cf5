package android.os;
public interface IBinder {
    boolean isBinderAlive();
}
