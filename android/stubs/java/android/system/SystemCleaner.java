package android.system;
import java.lang.ref.Cleaner;
public final class SystemCleaner {
    public static Cleaner cleaner() { throw new RuntimeException("Stub!"); }
}
