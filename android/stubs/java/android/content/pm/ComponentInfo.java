package android.content.pm;
public class ComponentInfo extends PackageItemInfo {
    public boolean enabled;
    public boolean exported;
    public ComponentInfo() { throw new RuntimeException("Stub!"); }
}
