//! The guard on realistic screens: chat, checkout, permission dialog, overlays, login forms,
//! confirmation dialogs, in English and Chinese, with the look-alikes that must pass.

use super::*;
use crate::action::{IntentKind, parse_action};
use crate::screen::test_support::*;
use crate::screen::{
    Node, SYSTEM_UI_PACKAGE, Snapshot, Window, WindowType, encode, foreign_windows,
};

const APP: &str = "com.example.app";

/// An icon button with a content description and a resource id.
fn icon(key: &str, description: &str, resource_id: &str, top: i32) -> Node {
    Node {
        content_description: description.into(),
        resource_id: resource_id.into(),
        class_name: "android.widget.ImageButton".into(),
        ..button(key, "", top)
    }
}

fn with_id(mut node: Node, resource_id: &str) -> Node {
    node.resource_id = resource_id.into();
    node
}

fn root(key: &str, children: Vec<Node>) -> Node {
    with_children(
        node(key, "android.widget.FrameLayout", rect(0, 0, 1080, 2400)),
        children,
    )
}

fn app_window(package: &str, children: Vec<Node>) -> Window {
    window(1, WindowType::Application, package, root("root", children))
}

/// A screen, its encoding and the guard's inputs.
struct Fixture {
    snapshot: Snapshot,
    screen: EncodedScreen,
    secrets: SecretStore,
    task: Vec<String>,
    granted: BTreeSet<String>,
    actions: Vec<AppActionInfo>,
}

impl Fixture {
    fn new(windows: Vec<Window>) -> Self {
        let task = windows
            .first()
            .map(|window| vec![window.package.clone()])
            .unwrap_or_default();
        let snapshot = snapshot(windows);
        let screen = encode(&snapshot, None);
        let mut secrets = SecretStore::new();
        assert!(
            secrets
                .insert("bank_password", "correct-horse-battery")
                .is_ok()
        );
        Fixture {
            snapshot,
            screen,
            secrets,
            task,
            granted: BTreeSet::new(),
            actions: Vec::new(),
        }
    }

    fn app(children: Vec<Node>) -> Self {
        Self::new(vec![app_window(APP, children)])
    }

    fn context(&self) -> GuardContext<'_> {
        GuardContext {
            screen: &self.screen,
            snapshot: &self.snapshot,
            secrets: &self.secrets,
            task_packages: &self.task,
            granted_tools: &self.granted,
            app_actions: &self.actions,
        }
    }

    /// The id of the element whose node has `key`.
    fn id(&self, key: &str) -> ElementId {
        self.screen
            .elements
            .iter()
            .find(|element| element.node_key == key)
            .map(|element| element.id)
            .unwrap_or_else(|| panic!("no element {key} in\n{}", self.screen.text))
    }

    fn check_with(&self, guard: &Guard, line: &str) -> Verdict {
        let action = parse_action(line).unwrap_or_else(|err| panic!("{line}: {err:?}"));
        guard.check(&action, &self.context())
    }

    fn check(&self, line: &str) -> Verdict {
        self.check_with(&Guard::default(), line)
    }

    fn tap(&self, key: &str) -> Verdict {
        self.check(&format!("tap {}", self.id(key)))
    }

    fn category_of_tap(&self, key: &str) -> Option<Category> {
        category(&self.tap(key))
    }
}

fn category(verdict: &Verdict) -> Option<Category> {
    match verdict {
        Verdict::Confirm(sensitive) => Some(sensitive.category),
        _ => None,
    }
}

fn reason(verdict: &Verdict) -> &str {
    match verdict {
        Verdict::Confirm(sensitive) => &sensitive.reason,
        Verdict::Deny(reason) => reason,
        Verdict::Allow => "",
    }
}

fn chat() -> Fixture {
    Fixture::new(vec![app_window(
        "com.whatsapp",
        vec![
            text("title", "Mom", 100),
            text("msg1", "Can you send me the photos from Sunday?", 400),
            field("entry", "", "Message", 2200),
            icon("send", "Send", "com.whatsapp:id/send", 2200),
            icon(
                "attach",
                "Attach",
                "com.whatsapp:id/input_attach_button",
                2200,
            ),
        ],
    )])
}

#[test]
fn send_button_in_a_chat_needs_confirmation() {
    let chat = chat();
    assert_eq!(chat.category_of_tap("send"), Some(Category::Send));
    assert_eq!(chat.tap("attach"), Verdict::Allow);
    let entry = chat.id("entry");
    assert_eq!(
        chat.check(&format!("type {entry} \"On my way\"")),
        Verdict::Allow
    );
    let verdict = chat.check(&format!("type {entry} \"On my way\" enter"));
    assert_eq!(category(&verdict), Some(Category::Send), "{verdict:?}");
}

#[test]
fn the_reason_names_the_target_category_and_cue() {
    let shop = Fixture::app(vec![button("pay", "Pay now", 2000)]);
    assert_eq!(
        shop.tap("pay"),
        Verdict::Confirm(Sensitive {
            category: Category::Pay,
            reason: "tap on \"Pay now\" looks like a payment (\"pay now\")".into(),
            grant: None,
        })
    );
}

#[test]
fn checkout_buttons_and_their_look_alikes() {
    let shop = Fixture::app(vec![
        button("add", "Add to cart", 400),
        button("gpay", "Google Pay", 700),
        button("methods", "Payment methods", 900),
        button("place", "Place order", 2000),
        with_children(
            button("buy", "", 2200),
            vec![
                text("buy.price", "$4.99", 2200),
                text("buy.label", "Buy", 2200),
            ],
        ),
    ]);
    assert_eq!(shop.tap("add"), Verdict::Allow);
    assert_eq!(shop.tap("gpay"), Verdict::Allow);
    assert_eq!(shop.tap("methods"), Verdict::Allow);
    assert_eq!(shop.category_of_tap("place"), Some(Category::Pay));
    assert_eq!(shop.category_of_tap("buy"), Some(Category::Pay));
}

#[test]
fn contacts_and_folders_that_only_look_sensitive_pass() {
    let list = Fixture::app(vec![
        button("sandy", "Sandy Payne", 300),
        with_children(
            button("row", "", 500),
            vec![
                text("row.name", "Alice Chen", 500),
                text("row.preview", "Send me the photos please", 540),
            ],
        ),
        button("deleted", "Deleted items", 700),
        button("shared", "Shared with me", 900),
        field("sender", "", "Sender name", 1100),
        button("resend", "Resend code in 30s", 1300),
    ]);
    assert_eq!(list.tap("sandy"), Verdict::Allow);
    assert_eq!(list.tap("row"), Verdict::Allow);
    assert_eq!(list.tap("deleted"), Verdict::Allow);
    assert_eq!(list.tap("shared"), Verdict::Allow);
    assert_eq!(list.tap("sender"), Verdict::Allow);
    assert_eq!(list.category_of_tap("resend"), Some(Category::Send));
}

#[test]
fn a_typed_draft_is_not_a_label() {
    let screen = Fixture::app(vec![field(
        "draft",
        "please delete my account",
        "Note",
        400,
    )]);
    assert_eq!(screen.tap("draft"), Verdict::Allow);
}

#[test]
fn chinese_shopping_and_chat() {
    let shop = Fixture::app(vec![
        button("cart", "加入购物车", 2000),
        button("buy", "立即购买", 2000),
        button("alipay", "支付宝", 1200),
        button("pay", "确认支付 ¥128.00", 2200),
        button("send", "发送", 2100),
        button("sent", "已发送", 1000),
        button("share", "分享", 100),
        button("logout", "退出登录", 1500),
    ]);
    assert_eq!(shop.tap("cart"), Verdict::Allow);
    assert_eq!(shop.category_of_tap("buy"), Some(Category::Pay));
    assert_eq!(shop.tap("alipay"), Verdict::Allow);
    assert_eq!(shop.category_of_tap("pay"), Some(Category::Pay));
    assert_eq!(shop.category_of_tap("send"), Some(Category::Send));
    assert_eq!(shop.tap("sent"), Verdict::Allow);
    assert_eq!(shop.category_of_tap("share"), Some(Category::Share));
    assert_eq!(shop.category_of_tap("logout"), Some(Category::Account));
}

fn permission_dialog() -> Fixture {
    let controller = "com.google.android.permissioncontroller";
    Fixture::new(vec![
        app_window(
            "com.example.camera",
            vec![button("shutter", "Shutter", 1800)],
        ),
        window(
            2,
            WindowType::Application,
            controller,
            root(
                "perm",
                vec![
                    text(
                        "perm.title",
                        "Allow Camera to take pictures and record video?",
                        900,
                    ),
                    with_id(
                        button("while", "While using the app", 1100),
                        "com.android.permissioncontroller:id/permission_allow_foreground_only_button",
                    ),
                    with_id(
                        button("once", "Only this time", 1250),
                        "com.android.permissioncontroller:id/permission_allow_one_time_button",
                    ),
                    with_id(
                        button("deny", "Don't allow", 1400),
                        "com.android.permissioncontroller:id/permission_deny_button",
                    ),
                ],
            ),
        ),
    ])
}

#[test]
fn the_permission_dialog_allow_buttons_grant_and_deny_passes() {
    let dialog = permission_dialog();
    assert_eq!(
        dialog.category_of_tap("while"),
        Some(Category::GrantPermission)
    );
    assert_eq!(
        dialog.category_of_tap("once"),
        Some(Category::GrantPermission)
    );
    assert_eq!(dialog.tap("deny"), Verdict::Allow);
    assert_eq!(dialog.tap("shutter"), Verdict::Allow);
}

#[test]
fn the_chinese_permission_dialog() {
    let dialog = Fixture::new(vec![
        app_window("com.tencent.mm", vec![button("chat", "聊天", 1800)]),
        window(
            2,
            WindowType::Application,
            "com.android.permissioncontroller",
            root(
                "perm",
                vec![
                    text("perm.title", "要允许“微信”拍摄照片和录制视频吗？", 900),
                    button("while", "仅在使用该应用时允许", 1100),
                    button("once", "仅限这一次", 1250),
                    button("deny", "不允许", 1400),
                ],
            ),
        ),
    ]);
    assert_eq!(
        dialog.category_of_tap("while"),
        Some(Category::GrantPermission)
    );
    assert_eq!(
        dialog.category_of_tap("once"),
        Some(Category::GrantPermission)
    );
    assert_eq!(dialog.tap("deny"), Verdict::Allow);
}

#[test]
fn enter_in_a_chinese_chat_box_sends_but_not_in_search() {
    let chat = Fixture::app(vec![
        field("search", "", "搜索", 100),
        with_id(
            field("entry", "", "发消息", 2200),
            "com.tencent.mm:id/chat_input",
        ),
    ]);
    let search = chat.id("search");
    let entry = chat.id("entry");
    assert_eq!(
        chat.check(&format!("type {search} \"天气\" enter")),
        Verdict::Allow
    );
    let sent = chat.check(&format!("type {entry} \"晚上见\" enter"));
    assert_eq!(category(&sent), Some(Category::Send), "{sent:?}");
}

#[test]
fn the_context_debug_shows_no_screen_text_or_secret() {
    let screen = login();
    let printed = format!("{:?}", screen.context());
    assert!(printed.contains("bank_password"), "{printed}");
    assert!(!printed.contains("correct-horse"), "{printed}");
    assert!(!printed.contains("Email"), "{printed}");
}

#[test]
fn install_buttons_of_the_store_and_the_package_installer() {
    let store = Fixture::new(vec![app_window(
        "com.android.vending",
        vec![
            button("install", "Install", 800),
            button("open", "Open", 800),
        ],
    )]);
    assert_eq!(store.category_of_tap("install"), Some(Category::Install));
    assert_eq!(store.tap("open"), Verdict::Allow);
    let installer = Fixture::new(vec![app_window(
        "com.google.android.packageinstaller",
        vec![
            button("update", "Update", 1800),
            button("cancel", "Cancel", 1800),
        ],
    )]);
    assert_eq!(installer.category_of_tap("update"), Some(Category::Install));
    assert_eq!(installer.tap("cancel"), Verdict::Allow);
}

fn overlaid() -> Fixture {
    Fixture::new(vec![
        app_window("com.example.bank", vec![button("balance", "Balance", 500)]),
        window(
            2,
            WindowType::System,
            SYSTEM_UI_PACKAGE,
            root("sys", vec![button("sys.wifi", "Wi-Fi", 50)]),
        ),
        window(
            3,
            WindowType::System,
            "com.cleaner.booster",
            root(
                "ad",
                vec![
                    text("ad.title", "Your phone is slow!", 700),
                    button("ad.download", "Download", 900),
                    button("ad.close", "Close", 1000),
                    button("ad.pay", "Pay now", 1100),
                    field("ad.password", "", "Bank password", 1200),
                ],
            ),
        ),
        window(
            4,
            WindowType::InputMethod,
            "com.google.android.inputmethod.latin",
            root("ime", vec![button("ime.q", "q", 2000)]),
        ),
    ])
}

#[test]
fn actions_on_another_apps_overlay_are_confirmed() {
    let screen = overlaid();
    assert_eq!(screen.tap("balance"), Verdict::Allow);
    assert_eq!(screen.tap("sys.wifi"), Verdict::Allow);
    assert_eq!(screen.tap("ime.q"), Verdict::Allow);
    let close = screen.tap("ad.close");
    assert_eq!(category(&close), Some(Category::ForeignWindow));
    assert!(reason(&close).contains("com.cleaner.booster"), "{close:?}");
    assert_eq!(
        screen.category_of_tap("ad.download"),
        Some(Category::Install)
    );
    let pay = screen.tap("ad.pay");
    assert_eq!(category(&pay), Some(Category::Pay));
    assert!(reason(&pay).contains("another app's overlay"), "{pay:?}");
    assert_eq!(foreign_windows(&screen.snapshot, &screen.task), vec![3]);
}

#[test]
fn overlay_confirmation_can_be_switched_off() {
    let screen = overlaid();
    let guard = Guard::new(GuardConfig::default().without_confirmation(Category::ForeignWindow));
    let close = screen.id("ad.close");
    assert_eq!(
        screen.check_with(&guard, &format!("tap {close}")),
        Verdict::Allow
    );
}

fn login() -> Fixture {
    let password = Node {
        password: true,
        ..field("password", "", "Password", 700)
    };
    Fixture::app(vec![
        field("user", "", "Email", 500),
        password,
        button("login", "Log in", 900),
    ])
}

#[test]
fn a_password_field_takes_only_a_known_secret() {
    let screen = login();
    let pw = screen.id("password");
    let user = screen.id("user");
    assert_eq!(
        screen.check(&format!("type {pw} \"{{secret:bank_password}}\" enter")),
        Verdict::Allow
    );
    for text in [
        "hunter2",
        "{secret:other}",
        "correct-horse-battery",
        "x{secret:bank_password}",
    ] {
        assert_eq!(
            screen.check(&format!("type {pw} \"{text}\"")),
            Verdict::Deny(PASSWORD_NEEDS_SECRET.into()),
            "{text}"
        );
    }
    assert_eq!(
        screen.check(&format!("type {pw} \"\" clear")),
        Verdict::Allow
    );
    assert_eq!(
        screen.check(&format!("type {user} \"alice@example.com\"")),
        Verdict::Allow
    );
    assert_eq!(screen.tap("login"), Verdict::Allow);
}

#[test]
fn secrets_never_leave_the_password_field() {
    let screen = login();
    let user = screen.id("user");
    for text in [
        "{secret:bank_password}",
        "my password is {secret:bank_password}",
        "correct-horse-battery",
    ] {
        assert_eq!(
            screen.check(&format!("type {user} \"{text}\"")),
            Verdict::Deny(SECRET_OUTSIDE_PASSWORD_FIELD.into()),
            "{text}"
        );
    }
}

#[test]
fn a_secret_is_not_typed_into_an_overlay() {
    let mut screen = overlaid();
    if let Some(node) = screen.snapshot.windows[2]
        .root
        .as_mut()
        .and_then(|root| root.children.iter_mut().find(|n| n.key == "ad.password"))
    {
        node.password = true;
    }
    let field = screen.id("ad.password");
    assert_eq!(
        screen.check(&format!("type {field} \"{{secret:bank_password}}\"")),
        Verdict::Deny(SECRET_IN_FOREIGN_WINDOW.into())
    );
}

fn dialog(title: &str, cancel: &str, ok: &str) -> Fixture {
    Fixture::new(vec![
        app_window(APP, vec![button("item", "IMG_2024.jpg", 400)]),
        window(
            2,
            WindowType::Application,
            APP,
            root(
                "dialog",
                vec![
                    text("dialog.title", title, 1000),
                    with_children(
                        node(
                            "dialog.buttons",
                            "android.widget.LinearLayout",
                            rect(0, 1200, 1080, 1300),
                        ),
                        vec![
                            button("dialog.cancel", cancel, 1200),
                            button("dialog.ok", ok, 1200),
                        ],
                    ),
                ],
            ),
        ),
    ])
}

#[test]
fn an_ok_button_means_what_its_dialog_asks() {
    let delete = dialog("Delete 3 photos? This can't be undone.", "Cancel", "OK");
    let ok = delete.tap("dialog.ok");
    assert_eq!(category(&ok), Some(Category::Delete));
    assert!(reason(&ok).contains("Delete 3 photos?"), "{ok:?}");
    assert_eq!(delete.tap("dialog.cancel"), Verdict::Allow);

    let sign_out = dialog("确定要退出登录吗？", "取消", "确定");
    assert_eq!(
        sign_out.category_of_tap("dialog.ok"),
        Some(Category::Account)
    );
    assert_eq!(sign_out.tap("dialog.cancel"), Verdict::Allow);

    let harmless = dialog("Your changes were saved.", "Close", "OK");
    assert_eq!(harmless.tap("dialog.ok"), Verdict::Allow);
}

#[test]
fn app_actions_and_intents() {
    let screen = Fixture::app(vec![]);
    let confirmed = |line: &str| category(&screen.check(line));
    assert_eq!(
        confirmed(r#"call send_message {"to":"Mom","text":"hi"}"#),
        Some(Category::Send)
    );
    assert_eq!(
        confirmed(r#"call pay_invoice {"id":"42"}"#),
        Some(Category::Pay)
    );
    assert_eq!(
        confirmed(r#"call delete_note {"id":"7"}"#),
        Some(Category::Delete)
    );
    assert_eq!(confirmed(r#"call get_weather {"city":"Berlin"}"#), None);
    assert_eq!(confirmed(r#"call list_deleted_notes {}"#), None);
    assert_eq!(
        confirmed(r#"intent share_text text="Look at this""#),
        Some(Category::Share)
    );
    assert_eq!(
        confirmed(r#"intent compose_sms to="+15551234567" body="Hi""#),
        None
    );
    assert_eq!(confirmed(r#"intent compose_email to="a@b.com""#), None);
    assert_eq!(confirmed(r#"intent dial number="+15551234567""#), None);
    assert_eq!(confirmed("intent set_alarm hour=7 minute=30"), None);
    assert_eq!(IntentKind::ShareText.name(), "share_text");
    for line in [
        "back",
        "home",
        "scroll down",
        "open \"Settings\"",
        "wait 1",
        "done",
    ] {
        assert_eq!(screen.check(line), Verdict::Allow, "{line}");
    }
}

#[test]
fn tools_ask_by_their_tier_and_a_first_time_yes_is_remembered() {
    let mut screen = Fixture::app(vec![]);
    let alarm = "intent set_alarm hour=7 minute=30";
    let share = r#"intent share_text text="Look at this""#;
    // Defaults: an alarm never asks, sharing asks every time and remembers nothing.
    assert_eq!(screen.check(alarm), Verdict::Allow);
    match screen.check(share) {
        Verdict::Confirm(sensitive) => {
            assert_eq!(sensitive.category, Category::Share);
            assert_eq!(sensitive.grant, None);
            assert!(sensitive.reason.starts_with("intent share_text: "));
        }
        other => panic!("{other:?}"),
    }
    // The integrator's tiers: the alarm asks the first time, under the tool category.
    let guard = Guard::new(
        GuardConfig::default()
            .with_tool_tier("set_alarm", Tier::FirstTime)
            .with_tool_tier("share_text", Tier::Always),
    );
    assert_eq!(screen.check_with(&guard, share), Verdict::Allow);
    match screen.check_with(&guard, alarm) {
        Verdict::Confirm(sensitive) => {
            assert_eq!(sensitive.category, Category::Tool);
            assert_eq!(sensitive.grant.as_deref(), Some("set_alarm"));
        }
        other => panic!("{other:?}"),
    }
    // Allowed earlier in the task, or in an earlier one the integrator remembers: not asked.
    screen.granted.insert("set_alarm".into());
    assert_eq!(screen.check_with(&guard, alarm), Verdict::Allow);
    screen.granted.clear();
    let remembered = Guard::new(
        guard
            .config()
            .clone()
            .with_granted_tool("set_alarm")
            .with_tool_tier("dial", Tier::EveryTime),
    );
    assert_eq!(screen.check_with(&remembered, alarm), Verdict::Allow);
    // A grant does not silence a tool asked every time.
    let every = Guard::new(
        remembered
            .config()
            .clone()
            .with_tool_tier("set_alarm", Tier::EveryTime),
    );
    assert!(matches!(
        screen.check_with(&every, alarm),
        Verdict::Confirm(_)
    ));
    // Switching a tool's category off stops it asking, unless its own tier says otherwise.
    let quiet = Guard::new(GuardConfig::default().without_confirmation(Category::Share));
    assert_eq!(screen.check_with(&quiet, share), Verdict::Allow);
    let loud = Guard::new(
        quiet
            .config()
            .clone()
            .with_tool_tier("share_text", Tier::EveryTime),
    );
    assert!(matches!(
        screen.check_with(&loud, share),
        Verdict::Confirm(_)
    ));
}

#[test]
fn a_tap_like_swipe_is_judged_as_a_tap() {
    let shop = Fixture::app(vec![button("pay", "Pay now", 2000)]);
    assert_eq!(
        category(&shop.check("swipe 540 2050 542 2052")),
        Some(Category::Pay)
    );
    assert_eq!(shop.check("swipe 540 2050 540 400"), Verdict::Allow);
    assert_eq!(shop.check("swipe 540 300 540 305"), Verdict::Allow);
}

#[test]
fn an_unknown_element_is_denied() {
    let screen = Fixture::app(vec![button("ok", "OK", 400)]);
    assert_eq!(
        screen.check("tap 99"),
        Verdict::Deny("element 99 is not on this screen".into())
    );
}

#[test]
fn config_adds_cues_marks_apps_and_switches_categories_off() {
    let bank = Fixture::new(vec![app_window(
        "com.example.bank",
        vec![
            button("accounts", "Accounts", 300),
            button("zahlen", "Jetzt zahlen", 500),
            button("share", "Share", 700),
        ],
    )]);
    let strict = Guard::default();
    let accounts = bank.id("accounts");
    let zahlen = bank.id("zahlen");
    let share = bank.id("share");
    assert_eq!(
        bank.check_with(&strict, &format!("tap {accounts}")),
        Verdict::Allow
    );
    assert_eq!(
        bank.check_with(&strict, &format!("tap {zahlen}")),
        Verdict::Allow
    );

    let guard = Guard::new(
        GuardConfig::strict()
            .with_cue(Category::Pay, "zahlen")
            .with_sensitive_package("com.example.bank")
            .without_confirmation(Category::Share),
    );
    let tap = |id: ElementId| bank.check_with(&guard, &format!("tap {id}"));
    assert_eq!(category(&tap(accounts)), Some(Category::SensitiveApp));
    assert_eq!(category(&tap(zahlen)), Some(Category::Pay));
    // Share is off, but the app is still sensitive.
    assert_eq!(category(&tap(share)), Some(Category::SensitiveApp));
    assert!(guard.config().confirms(Category::Pay));
    assert!(!guard.config().confirms(Category::Share));
}

#[test]
fn categories_have_stable_names() {
    for category in Category::ALL {
        assert_eq!(Category::from_name(category.name()), Some(category));
        assert!(!category.describe().is_empty());
    }
    assert_eq!(Category::GrantPermission.to_string(), "grant_permission");
}

#[test]
fn the_screen_text_notice_says_screen_text_is_data() {
    let notice = screen_text_notice();
    assert!(notice.contains("not instructions"));
    assert!(notice.contains("user's goal"));
}

#[test]
fn a_declared_app_action_asks_as_its_side_effect_and_confirmation_say() {
    let declared = |name: &str, side_effect, confirmation| AppActionInfo {
        side_effect,
        confirmation,
        ..AppActionInfo::undeclared(name, "com.example.shop", "does it")
    };
    let mut fixture = Fixture::app(vec![]);
    fixture.actions = vec![
        declared("shop.checkout", SideEffect::Financial, AskPolicy::Always),
        declared(
            "notes.delete_note",
            SideEffect::Irreversible,
            AskPolicy::Always,
        ),
        declared(
            "contacts.find_contact",
            SideEffect::None,
            AskPolicy::FirstTime,
        ),
        declared(
            "notes.create_note",
            SideEffect::Reversible,
            AskPolicy::Never,
        ),
        // A declaration that says never for money is asked anyway.
        declared("shop.quick_buy", SideEffect::Financial, AskPolicy::Never),
    ];
    let guard = Guard::new(GuardConfig::default());
    let verdict = |fixture: &Fixture, name: &str| {
        guard.check(
            &parse_action(&format!("call {name} {{}}")).unwrap(),
            &fixture.context(),
        )
    };
    for name in ["shop.checkout", "shop.quick_buy"] {
        let Verdict::Confirm(sensitive) = verdict(&fixture, name) else {
            panic!("{name} must ask");
        };
        assert_eq!(sensitive.category, Category::Pay);
        assert_eq!(sensitive.grant, None, "{name}: asked every time");
        assert!(
            sensitive.reason.contains("spends money"),
            "{}",
            sensitive.reason
        );
    }
    let Verdict::Confirm(delete) = verdict(&fixture, "notes.delete_note") else {
        panic!("an irreversible action asks");
    };
    assert_eq!(delete.category, Category::Delete);
    let Verdict::Confirm(find) = verdict(&fixture, "contacts.find_contact") else {
        panic!("first_time asks the first time");
    };
    assert_eq!(find.grant.as_deref(), Some("contacts.find_contact"));
    fixture.granted.insert("contacts.find_contact".into());
    assert_eq!(verdict(&fixture, "contacts.find_contact"), Verdict::Allow);
    assert_eq!(verdict(&fixture, "notes.create_note"), Verdict::Allow);
    // Undeclared: its name is all the guard has.
    assert!(matches!(
        verdict(&fixture, "bank.send_money"),
        Verdict::Confirm(_)
    ));
}
