package android.net;
public abstract class Uri implements Comparable<Uri> {
    public static Uri parse(String uriString) { throw new RuntimeException("Stub!"); }
    public static String encode(String s) { throw new RuntimeException("Stub!"); }
    public abstract String getScheme();
}
