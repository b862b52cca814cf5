package android.view.accessibility;
public final class AccessibilityEvent {
    public static final int TYPE_WINDOW_STATE_CHANGED = 32;
    public static final int TYPE_WINDOW_CONTENT_CHANGED = 2048;
    public static final int TYPE_WINDOWS_CHANGED = 4194304;
    public AccessibilityEvent() { throw new RuntimeException("Stub!"); }
    public int getEventType() { throw new RuntimeException("Stub!"); }
}
