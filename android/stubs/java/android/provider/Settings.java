package android.provider;
import android.content.ContentResolver;
public final class Settings {
    public static final String ACTION_ACCESSIBILITY_SETTINGS = "android.settings.ACCESSIBILITY_SETTINGS";
    public Settings() { throw new RuntimeException("Stub!"); }
    public static class NameValueTable {
        public NameValueTable() { throw new RuntimeException("Stub!"); }
    }
    public static final class Secure extends NameValueTable {
        public static final String ACCESSIBILITY_ENABLED = "accessibility_enabled";
        public static final String ENABLED_ACCESSIBILITY_SERVICES = "enabled_accessibility_services";
        public Secure() { throw new RuntimeException("Stub!"); }
        public static String getString(ContentResolver resolver, String name) { throw new RuntimeException("Stub!"); }
        public static boolean putString(ContentResolver resolver, String name, String value) { throw new RuntimeException("Stub!"); }
        public static boolean putInt(ContentResolver cr, String name, int value) { throw new RuntimeException("Stub!"); }
    }
}
