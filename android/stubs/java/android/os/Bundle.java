package android.os;
public final class Bundle implements Cloneable {
    public Bundle() { throw new RuntimeException("Stub!"); }
    public void putCharSequence(String key, CharSequence value) { throw new RuntimeException("Stub!"); }
    public void putString(String key, String value) { throw new RuntimeException("Stub!"); }
    public String getString(String key) { throw new RuntimeException("Stub!"); }
}
