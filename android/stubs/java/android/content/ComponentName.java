package android.content;
public final class ComponentName implements Cloneable, Comparable<ComponentName> {
    public ComponentName(String pkg, String cls) { throw new RuntimeException("Stub!"); }
    public ComponentName(Context pkg, Class<?> cls) { throw new RuntimeException("Stub!"); }
    public String getPackageName() { throw new RuntimeException("Stub!"); }
    public String getClassName() { throw new RuntimeException("Stub!"); }
    public String flattenToString() { throw new RuntimeException("Stub!"); }
    public String flattenToShortString() { throw new RuntimeException("Stub!"); }
    public int compareTo(ComponentName that) { throw new RuntimeException("Stub!"); }
}
