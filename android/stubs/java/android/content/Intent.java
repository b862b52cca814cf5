package android.content;
import android.content.pm.PackageManager;
import android.net.Uri;
import android.os.Bundle;
public class Intent implements Cloneable {
    public static final String ACTION_MAIN = "android.intent.action.MAIN";
    public static final String CATEGORY_LAUNCHER = "android.intent.category.LAUNCHER";
    public static final int FLAG_ACTIVITY_NEW_TASK = 268435456;
    public static final int FLAG_ACTIVITY_CLEAR_TOP = 67108864;
    public static final int FLAG_ACTIVITY_SINGLE_TOP = 536870912;
    public Intent() { throw new RuntimeException("Stub!"); }
    public Intent(String action) { throw new RuntimeException("Stub!"); }
    public Intent(Context packageContext, Class<?> cls) { throw new RuntimeException("Stub!"); }
    public static Intent createChooser(Intent target, CharSequence title) { throw new RuntimeException("Stub!"); }
    public String getAction() { throw new RuntimeException("Stub!"); }
    public String getStringExtra(String name) { throw new RuntimeException("Stub!"); }
    public Bundle getExtras() { throw new RuntimeException("Stub!"); }
    public Intent setAction(String action) { throw new RuntimeException("Stub!"); }
    public Intent setData(Uri data) { throw new RuntimeException("Stub!"); }
    public Intent setType(String type) { throw new RuntimeException("Stub!"); }
    public Intent setDataAndType(Uri data, String type) { throw new RuntimeException("Stub!"); }
    public Intent setPackage(String packageName) { throw new RuntimeException("Stub!"); }
    public Intent addCategory(String category) { throw new RuntimeException("Stub!"); }
    public Intent addFlags(int flags) { throw new RuntimeException("Stub!"); }
    public Intent setFlags(int flags) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, boolean value) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, int value) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, long value) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, String value) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, CharSequence value) { throw new RuntimeException("Stub!"); }
    public Intent putExtra(String name, String[] value) { throw new RuntimeException("Stub!"); }
    public ComponentName resolveActivity(PackageManager pm) { throw new RuntimeException("Stub!"); }
}
