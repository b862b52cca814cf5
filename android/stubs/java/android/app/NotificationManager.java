package android.app;
public class NotificationManager {
    public static final int IMPORTANCE_LOW = 2;
    public void createNotificationChannel(NotificationChannel channel) { throw new RuntimeException("Stub!"); }
    public void notify(int id, Notification notification) { throw new RuntimeException("Stub!"); }
    public void cancel(int id) { throw new RuntimeException("Stub!"); }
}
