package android.text;
public interface Spannable extends Spanned {
}
