package android.content.pm;
public class ServiceInfo extends ComponentInfo {
    public static final int FOREGROUND_SERVICE_TYPE_SPECIAL_USE = 1073741824;
    public ServiceInfo() { throw new RuntimeException("Stub!"); }
}
