package android.content.pm;
import android.content.Intent;
import java.util.List;
public abstract class PackageManager {
    public static final int MATCH_DEFAULT_ONLY = 65536;
    public PackageManager() { throw new RuntimeException("Stub!"); }
    public abstract Intent getLaunchIntentForPackage(String packageName);
    public abstract List<ResolveInfo> queryIntentActivities(Intent intent, int flags);
    public abstract ResolveInfo resolveActivity(Intent intent, int flags);
}
