//! Messages (`com.lobster.sim.messages`): conversations, a conversation with a reply bar, and a
//! "New conversation" page whose recipient field suggests contacts as you type.
//!
//! Why it matters to the tests: sending is the sensitive step the guard confirms, and the
//! check reads which number the text went to, so a recipient picked by name must resolve to the
//! right number (a contact may have a mobile and a work number).

use std::rc::Rc;

use super::{AppView, Frame, act, up};
use crate::nav::{Page as AnyPage, World};
use crate::state::{Message, SimState, digits};
use crate::ui::{
    FieldSpec, ListSpec, OnTap, OnText, TOOLBAR_BOTTOM, Ui, class, image, layout, rect, text,
};
use lobster_core::screen::Node;

const PACKAGE: &str = "com.lobster.sim.messages";

/// A page of Messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    /// The conversations.
    Threads,
    /// One conversation.
    Thread {
        /// The other party's number.
        number: String,
        /// The reply being typed.
        draft: String,
    },
    /// A new conversation.
    Compose(Compose),
}

/// The fields of a new conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Compose {
    /// The recipient: a number, or a name being typed.
    pub to: String,
    /// The message.
    pub body: String,
    /// The last Send found no valid recipient.
    pub error: bool,
}

fn res(name: &str) -> String {
    format!("{PACKAGE}:id/{name}")
}

/// Renders a Messages page.
pub(crate) fn render(page: &Page, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    match page {
        Page::Threads => render_threads(state, frame, ui),
        Page::Thread { number, draft } => render_thread(number, draft, state, frame, ui),
        Page::Compose(compose) => render_compose(compose, state, frame, ui),
    }
}

fn update(change: impl Fn(&mut Page, String) + 'static) -> OnText {
    Rc::new(move |world: &mut World<'_>, typed: String| {
        if let Some(AnyPage::Messages(page)) = world.page() {
            change(page, typed);
        }
    })
}

fn render_threads(state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let toolbar = ui.toolbar("messages.threads", PACKAGE, "Messages", None, Vec::new());
    let heights = vec![220; state.threads.len()];
    let list = ui.list(
        &ListSpec {
            key: "messages.threads.list",
            res: &res("conversation_list"),
            bounds: rect(0, TOOLBAR_BOTTOM, 1080, frame.bottom),
            heights: &heights,
            from_end: false,
        },
        |ui, index, bounds| {
            let thread = &state.threads[index];
            let key = format!("messages.threads.thread{}", digits(&thread.number));
            let last = thread.messages.last();
            let snippet = last.map_or_else(String::new, |message| {
                if message.outgoing {
                    format!("You: {}", message.text)
                } else {
                    message.text.clone()
                }
            });
            let time = last.map_or("", |message| message.time.as_str());
            let row = layout(
                &key,
                class::LINEAR,
                &res("conversation_row"),
                bounds,
                vec![
                    image(
                        &format!("{key}.avatar"),
                        &res("conversation_icon"),
                        "",
                        rect(42, bounds.top + 50, 162, bounds.top + 170),
                    ),
                    text(
                        &format!("{key}.name"),
                        &res("conversation_name"),
                        &state.display_name(&thread.number),
                        rect(200, bounds.top + 40, 860, bounds.top + 110),
                    ),
                    text(
                        &format!("{key}.snippet"),
                        &res("conversation_snippet"),
                        &snippet,
                        rect(200, bounds.top + 110, 1017, bounds.top + 180),
                    ),
                    text(
                        &format!("{key}.time"),
                        &res("conversation_timestamp"),
                        time,
                        rect(860, bounds.top + 40, 1017, bounds.top + 110),
                    ),
                ],
            );
            let number = thread.number.clone();
            ui.clickable(
                row,
                act(move |world| {
                    world.nav.push(AnyPage::Messages(Page::Thread {
                        number: number.clone(),
                        draft: String::new(),
                    }));
                }),
            )
        },
    );
    let fab_bottom = frame.bottom - 60;
    let start = ui.button(
        "messages.threads.start_chat",
        &res("start_chat_fab"),
        "Start chat",
        rect(640, fab_bottom - 160, 1030, fab_bottom),
        act(|world| {
            world
                .nav
                .push(AnyPage::Messages(Page::Compose(Compose::default())))
        }),
    );
    AppView::page(vec![toolbar, list, start])
}

/// Lines a message bubble takes at about 32 characters a line.
fn bubble_height(message: &Message) -> i32 {
    let lines = i32::try_from(message.text.chars().count() / 32 + 1).unwrap_or(8);
    120 + 56 * lines.min(8)
}

fn render_thread(
    number: &str,
    draft: &str,
    state: &SimState,
    frame: Frame,
    ui: &mut Ui,
) -> AppView {
    let toolbar = ui.toolbar(
        "messages.thread",
        PACKAGE,
        &state.display_name(number),
        Some(up()),
        Vec::new(),
    );
    let messages: &[Message] = state
        .thread(number)
        .map_or(&[], |thread| thread.messages.as_slice());
    let heights: Vec<i32> = messages.iter().map(bubble_height).collect();
    let bar_top = frame.bottom - 170;
    let list = ui.list(
        &ListSpec {
            key: "messages.thread.list",
            res: &res("message_list"),
            bounds: rect(0, TOOLBAR_BOTTOM, 1080, bar_top),
            heights: &heights,
            from_end: true,
        },
        |_, index, bounds| {
            let message = &messages[index];
            let sender = if message.outgoing {
                "You".to_owned()
            } else {
                state.display_name(number)
            };
            let key = format!("messages.thread.message{index}");
            let (left, right) = if message.outgoing {
                (300, 1040)
            } else {
                (40, 780)
            };
            layout(
                &key,
                class::LINEAR,
                &res("message_content"),
                rect(left, bounds.top + 10, right, bounds.bottom - 10),
                vec![
                    text(
                        &format!("{key}.text"),
                        &res("message_text"),
                        &message.text,
                        rect(left + 30, bounds.top + 30, right - 30, bounds.bottom - 70),
                    ),
                    text(
                        &format!("{key}.status"),
                        &res("message_status"),
                        &format!("{sender} · {}", message.time),
                        rect(
                            left + 30,
                            bounds.bottom - 70,
                            right - 30,
                            bounds.bottom - 20,
                        ),
                    ),
                ],
            )
        },
    );
    let field = ui.field(
        "messages.thread.compose",
        &res("compose_message_text"),
        &FieldSpec {
            text: draft,
            hint: "Text message",
            password: false,
            description: "",
        },
        rect(40, bar_top + 20, 880, bar_top + 150),
        update(|page, typed| {
            if let Page::Thread { draft, .. } = page {
                *draft = typed;
            }
        }),
        None,
    );
    let to = number.to_owned();
    let body = draft.trim().to_owned();
    let send = send_button(
        ui,
        "messages.thread.send",
        rect(900, bar_top + 20, 1040, bar_top + 150),
        !body.is_empty(),
        act(move |world| {
            world.state.send_message(&to, &body);
            if let Some(AnyPage::Messages(Page::Thread { draft, .. })) = world.page() {
                draft.clear();
            }
            if let Some(top) = world.nav.top_mut() {
                top.scroll.clear();
            }
        }),
    );
    let bar = layout(
        "messages.thread.bar",
        class::LINEAR,
        &res("compose_bar"),
        rect(0, bar_top, 1080, frame.bottom),
        vec![field, send],
    );
    AppView::page(vec![toolbar, list, bar])
}

fn send_button(
    ui: &mut Ui,
    key: &str,
    bounds: lobster_core::screen::Rect,
    enabled: bool,
    on_tap: OnTap,
) -> Node {
    let button = ui.image_button(key, &res("send_message_button"), "Send SMS", bounds, on_tap);
    Node { enabled, ..button }
}

/// Who a recipient field names: a number as typed, or the mobile number of a contact named
/// exactly so.
fn resolve_recipient(state: &SimState, to: &str) -> Option<String> {
    let to = to.trim();
    if digits(to).len() >= 7 && !to.chars().any(char::is_alphabetic) {
        return Some(to.to_owned());
    }
    state
        .contact_named(to)
        .map(|contact| contact.mobile.clone())
}

fn render_compose(compose: &Compose, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let toolbar = ui.toolbar(
        "messages.compose",
        PACKAGE,
        "New conversation",
        Some(up()),
        Vec::new(),
    );
    let to_label = text(
        "messages.compose.to_label",
        &res("to_label"),
        "To",
        rect(42, 290, 140, 380),
    );
    let to_field = ui.field(
        "messages.compose.to",
        &res("recipient_text_view"),
        &FieldSpec {
            text: &compose.to,
            hint: "Type a name, phone number or email",
            password: false,
            description: "",
        },
        rect(150, 270, 1040, 400),
        update(|page, typed| {
            if let Page::Compose(compose) = page {
                compose.to = typed;
                compose.error = false;
            }
        }),
        None,
    );
    let mut content = vec![toolbar, to_label, to_field];
    let bar_top = frame.bottom - 170;
    let complete = digits(&compose.to).len() >= 10 && !compose.to.chars().any(char::is_alphabetic);
    if !complete {
        // Suggestions: every number of every contact matching what is typed.
        let query = compose.to.trim().to_lowercase();
        let query_digits = digits(&query);
        let mut options: Vec<(String, &str, String)> = Vec::new();
        for contact in super::contacts::visible_contacts(state, "") {
            let name_matches = contact.name.to_lowercase().contains(&query);
            let mut numbers = vec![("Mobile", &contact.mobile)];
            if let Some(work) = &contact.work {
                numbers.push(("Work", work));
            }
            for (kind, number) in numbers {
                let number_matches =
                    query_digits.len() >= 3 && digits(number).contains(&query_digits);
                if query.is_empty() || name_matches || number_matches {
                    options.push((contact.name.clone(), kind, number.clone()));
                }
            }
        }
        let heights = vec![190; options.len()];
        content.push(ui.list(
            &ListSpec {
                key: "messages.compose.suggestions",
                res: &res("contact_picker_list"),
                bounds: rect(0, 420, 1080, bar_top - 20),
                heights: &heights,
                from_end: false,
            },
            |ui, index, bounds| {
                let (name, kind, number) = &options[index];
                let key = format!("messages.compose.suggestion{}", digits(number));
                let row = layout(
                    &key,
                    class::LINEAR,
                    &res("contact_picker_row"),
                    bounds,
                    vec![
                        text(
                            &format!("{key}.name"),
                            &res("contact_name"),
                            name,
                            rect(200, bounds.top + 30, 1017, bounds.top + 100),
                        ),
                        text(
                            &format!("{key}.number"),
                            &res("contact_details"),
                            &format!("{kind} {number}"),
                            rect(200, bounds.top + 100, 1017, bounds.bottom - 30),
                        ),
                    ],
                );
                let number = number.clone();
                ui.clickable(
                    row,
                    act(move |world| {
                        if let Some(AnyPage::Messages(Page::Compose(compose))) = world.page() {
                            compose.to = number.clone();
                            compose.error = false;
                        }
                        if let Some(top) = world.nav.top_mut() {
                            top.focus = None;
                        }
                    }),
                )
            },
        ));
    }
    if compose.error {
        content.push(text(
            "messages.compose.error",
            &res("error"),
            "Not a valid recipient",
            rect(42, bar_top - 90, 1040, bar_top - 20),
        ));
    }
    let body_field = ui.field(
        "messages.compose.body",
        &res("compose_message_text"),
        &FieldSpec {
            text: &compose.body,
            hint: "Text message",
            password: false,
            description: "",
        },
        rect(40, bar_top + 20, 880, bar_top + 150),
        update(|page, typed| {
            if let Page::Compose(compose) = page {
                compose.body = typed;
            }
        }),
        None,
    );
    let to = compose.to.clone();
    let body = compose.body.trim().to_owned();
    let send = send_button(
        ui,
        "messages.compose.send",
        rect(900, bar_top + 20, 1040, bar_top + 150),
        !body.is_empty() && !to.trim().is_empty(),
        act(move |world| match resolve_recipient(world.state, &to) {
            Some(number) => {
                world.state.send_message(&number, &body);
                world.nav.replace(AnyPage::Messages(Page::Thread {
                    number,
                    draft: String::new(),
                }));
            }
            None => {
                if let Some(AnyPage::Messages(Page::Compose(compose))) = world.page() {
                    compose.error = true;
                }
            }
        }),
    );
    content.push(layout(
        "messages.compose.bar",
        class::LINEAR,
        &res("compose_bar"),
        rect(0, bar_top, 1080, frame.bottom),
        vec![body_field, send],
    ));
    AppView::page(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_resolve_to_numbers() {
        let state = SimState::seeded();
        assert_eq!(
            resolve_recipient(&state, "maria lopez").as_deref(),
            Some("+1 415-555-0115")
        );
        assert_eq!(
            resolve_recipient(&state, "+1 415-555-0199").as_deref(),
            Some("+1 415-555-0199")
        );
        assert_eq!(resolve_recipient(&state, "Maria"), None);
    }
}
