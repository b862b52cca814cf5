package android.content.pm;
public class ResolveInfo {
    public ActivityInfo activityInfo;
    public ResolveInfo() { throw new RuntimeException("Stub!"); }
    public CharSequence loadLabel(PackageManager pm) { throw new RuntimeException("Stub!"); }
}
