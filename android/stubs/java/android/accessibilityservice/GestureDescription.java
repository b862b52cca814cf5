package android.accessibilityservice;
import android.graphics.Path;
public final class GestureDescription {
    public static long getMaxGestureDuration() { throw new RuntimeException("Stub!"); }
    public static class Builder {
        public Builder() { throw new RuntimeException("Stub!"); }
        public GestureDescription.Builder addStroke(GestureDescription.StrokeDescription strokeDescription) { throw new RuntimeException("Stub!"); }
        public GestureDescription build() { throw new RuntimeException("Stub!"); }
    }
    public static class StrokeDescription {
        public StrokeDescription(Path path, long startTime, long duration) { throw new RuntimeException("Stub!"); }
    }
}
