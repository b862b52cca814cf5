package android.content;
import android.content.pm.PackageManager;
import android.content.res.Resources;
public class ContextWrapper extends Context {
    public ContextWrapper(Context base) { throw new RuntimeException("Stub!"); }
    public PackageManager getPackageManager() { throw new RuntimeException("Stub!"); }
    public ContentResolver getContentResolver() { throw new RuntimeException("Stub!"); }
    public Context getApplicationContext() { throw new RuntimeException("Stub!"); }
    public String getPackageName() { throw new RuntimeException("Stub!"); }
    public Resources getResources() { throw new RuntimeException("Stub!"); }
    public Object getSystemService(String name) { throw new RuntimeException("Stub!"); }
    public void startActivity(Intent intent) { throw new RuntimeException("Stub!"); }
    public ComponentName startService(Intent service) { throw new RuntimeException("Stub!"); }
    public ComponentName startForegroundService(Intent service) { throw new RuntimeException("Stub!"); }
    public boolean stopService(Intent name) { throw new RuntimeException("Stub!"); }
    public boolean bindService(Intent service, ServiceConnection conn, int flags) { throw new RuntimeException("Stub!"); }
    public void unbindService(ServiceConnection conn) { throw new RuntimeException("Stub!"); }
    public SharedPreferences getSharedPreferences(String name, int mode) { throw new RuntimeException("Stub!"); }
}
