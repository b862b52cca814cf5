package android.widget;
import android.content.Context;
public class RadioGroup extends LinearLayout {
    public RadioGroup(Context context) { super(context); throw new RuntimeException("Stub!"); }
    public void check(int id) { throw new RuntimeException("Stub!"); }
    public int getCheckedRadioButtonId() { throw new RuntimeException("Stub!"); }
}
