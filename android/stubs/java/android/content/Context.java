package android.content;
import android.content.pm.PackageManager;
import android.content.res.Resources;
public abstract class Context {
    public static final String ACCESSIBILITY_SERVICE = "accessibility";
    public static final String NOTIFICATION_SERVICE = "notification";
    public static final int BIND_AUTO_CREATE = 1;
    public static final int MODE_PRIVATE = 0;
    public Context() { throw new RuntimeException("Stub!"); }
    public abstract PackageManager getPackageManager();
    public abstract ContentResolver getContentResolver();
    public abstract Context getApplicationContext();
    public abstract String getPackageName();
    public abstract Resources getResources();
    public abstract Object getSystemService(String name);
    public final <T> T getSystemService(Class<T> serviceClass) { throw new RuntimeException("Stub!"); }
    public abstract void startActivity(Intent intent);
    public abstract ComponentName startService(Intent service);
    public abstract ComponentName startForegroundService(Intent service);
    public abstract boolean stopService(Intent service);
    public abstract boolean bindService(Intent service, ServiceConnection conn, int flags);
    public abstract void unbindService(ServiceConnection conn);
    public abstract SharedPreferences getSharedPreferences(String name, int mode);
}
