package android.content.pm;
public class PackageItemInfo {
    public String name;
    public String packageName;
    public PackageItemInfo() { throw new RuntimeException("Stub!"); }
    public CharSequence loadLabel(PackageManager pm) { throw new RuntimeException("Stub!"); }
}
