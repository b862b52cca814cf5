//! Contacts (`com.lobster.sim.contacts`): a searchable alphabetical list longer than the screen,
//! a detail page per contact with a "Text" action that hands over to Messages, and a form to
//! create a contact.
//!
//! Why these pages: looking a number up and acting on it in another app is the classic
//! multi-app task, and a contact near the end of the alphabet can only be reached by scrolling
//! or searching.

use std::rc::Rc;

use super::messages::Compose;
use super::{AppView, Frame, act, up};
use crate::nav::{Page as AnyPage, World};
use crate::state::{Contact, SimState};
use crate::ui::{
    FieldSpec, ListSpec, OnTap, OnText, TOOLBAR_BOTTOM, Ui, class, image, layout, rect, text,
};

const PACKAGE: &str = "com.lobster.sim.contacts";

/// A page of Contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    /// The list, filtered by what is typed in the search bar.
    List {
        /// The search text.
        query: String,
    },
    /// One contact.
    Detail {
        /// The contact's id.
        id: u32,
    },
    /// Creating a contact.
    New(NewContact),
}

/// The fields of the new-contact form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NewContact {
    /// First name.
    pub first: String,
    /// Last name.
    pub last: String,
    /// Phone number.
    pub phone: String,
    /// E-mail.
    pub email: String,
}

fn res(name: &str) -> String {
    format!("{PACKAGE}:id/{name}")
}

/// The contacts sorted as the list shows them, filtered by `query` (name or number).
pub(crate) fn visible_contacts<'a>(state: &'a SimState, query: &str) -> Vec<&'a Contact> {
    let wanted = query.trim().to_lowercase();
    let wanted_digits = crate::state::digits(&wanted);
    let mut contacts: Vec<&Contact> = state
        .contacts
        .iter()
        .filter(|contact| {
            wanted.is_empty()
                || contact.name.to_lowercase().contains(&wanted)
                || (wanted_digits.len() >= 3
                    && crate::state::digits(&contact.mobile).contains(&wanted_digits))
        })
        .collect();
    contacts.sort_by_key(|contact| contact.name.to_lowercase());
    contacts
}

/// Renders a Contacts page.
pub(crate) fn render(page: &Page, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    match page {
        Page::List { query } => render_list(query, state, frame, ui),
        Page::Detail { id } => render_detail(*id, state, ui),
        Page::New(form) => render_new(form, ui),
    }
}

fn set_page(update: impl Fn(&mut Page, String) + 'static) -> OnText {
    Rc::new(move |world: &mut World<'_>, typed: String| {
        if let Some(AnyPage::Contacts(page)) = world.page() {
            update(page, typed);
        }
    })
}

fn render_list(query: &str, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let search = ui.field(
        "contacts.list.search",
        &res("search_view"),
        &FieldSpec {
            text: query,
            hint: "Search contacts",
            password: false,
            description: "",
        },
        rect(42, 120, 1038, 236),
        set_page(|page, typed| {
            if let Page::List { query } = page {
                *query = typed;
            }
        }),
        None,
    );
    let contacts = visible_contacts(state, query);
    let count = text(
        "contacts.list.count",
        &res("header"),
        &format!(
            "{} contact{}",
            contacts.len(),
            if contacts.len() == 1 { "" } else { "s" }
        ),
        rect(63, TOOLBAR_BOTTOM + 20, 1017, 330),
    );
    let mut content = vec![search, count];
    if contacts.is_empty() {
        content.push(text(
            "contacts.list.empty",
            &res("empty"),
            "No contacts found",
            rect(63, 400, 1017, 480),
        ));
    } else {
        let heights = vec![190; contacts.len()];
        let list = ui.list(
            &ListSpec {
                key: "contacts.list.list",
                res: &res("contact_list"),
                bounds: rect(0, 340, 1080, frame.bottom),
                heights: &heights,
                from_end: false,
            },
            |ui, index, bounds| {
                let contact = contacts[index];
                let key = format!("contacts.list.contact{}", contact.id);
                let middle = bounds.top + bounds.height() / 2;
                let row = layout(
                    &key,
                    class::LINEAR,
                    &res("contact_row"),
                    bounds,
                    vec![
                        image(
                            &format!("{key}.photo"),
                            &res("photo"),
                            "",
                            rect(63, middle - 55, 173, middle + 55),
                        ),
                        text(
                            &format!("{key}.name"),
                            &res("display_name"),
                            &contact.name,
                            rect(210, middle - 40, 1017, middle + 40),
                        ),
                    ],
                );
                let id = contact.id;
                ui.clickable(
                    row,
                    act(move |world| world.nav.push(AnyPage::Contacts(Page::Detail { id }))),
                )
            },
        );
        content.push(list);
    }
    let fab_bottom = frame.bottom - 60;
    content.push(ui.image_button(
        "contacts.list.create",
        &res("floating_action_button"),
        "Create contact",
        rect(870, fab_bottom - 160, 1030, fab_bottom),
        act(|world| {
            world
                .nav
                .push(AnyPage::Contacts(Page::New(NewContact::default())))
        }),
    ));
    AppView::page(content)
}

/// Opens a message to `number` in Messages.
fn text_to(number: String) -> OnTap {
    act(move |world| {
        world
            .nav
            .push(AnyPage::Messages(super::messages::Page::Compose(Compose {
                to: number.clone(),
                body: String::new(),
                error: false,
            })));
    })
}

fn render_detail(id: u32, state: &SimState, ui: &mut Ui) -> AppView {
    let Some(contact) = state.contact(id) else {
        let toolbar = ui.toolbar("contacts.detail", PACKAGE, "", Some(up()), Vec::new());
        return AppView::page(vec![
            toolbar,
            text(
                "contacts.detail.missing",
                "",
                "Contact not found",
                rect(63, 400, 1017, 480),
            ),
        ]);
    };
    let starred = contact.starred;
    let star = ui.toolbar_action(
        "contacts.detail.star",
        &res("menu_star"),
        if starred {
            "Remove from favourites"
        } else {
            "Add to favourites"
        },
        0,
        act(move |world| {
            if let Some(contact) = world.state.contacts.iter_mut().find(|c| c.id == id) {
                contact.starred = !contact.starred;
            }
        }),
    );
    let toolbar = ui.toolbar("contacts.detail", PACKAGE, "", Some(up()), vec![star]);
    let mut content = vec![
        toolbar,
        image(
            "contacts.detail.photo",
            &res("photo"),
            "",
            rect(390, 300, 690, 600),
        ),
        text(
            "contacts.detail.name",
            &res("large_title"),
            &contact.name,
            rect(63, 640, 1017, 760),
        ),
    ];
    content.push(ui.button(
        "contacts.detail.text",
        &res("text_button"),
        "Text",
        rect(400, 800, 680, 940),
        text_to(contact.mobile.clone()),
    ));
    content.push(text(
        "contacts.detail.info_header",
        &res("header"),
        "Contact info",
        rect(63, 1000, 1017, 1070),
    ));
    let mut top = 1090;
    let mut numbers = vec![("mobile", "Mobile", contact.mobile.clone())];
    if let Some(work) = &contact.work {
        numbers.push(("work", "Work", work.clone()));
    }
    for (key, kind, number) in numbers {
        let row_key = format!("contacts.detail.{key}");
        let message = ui.image_button(
            &format!("{row_key}_message"),
            &res("secondary_action_button"),
            &format!("Text {kind}"),
            rect(880, top + 40, 1017, top + 160),
            text_to(number.clone()),
        );
        content.push(layout(
            &row_key,
            class::LINEAR,
            &res("phone_row"),
            rect(0, top, 1080, top + 200),
            vec![
                image(
                    &format!("{row_key}.icon"),
                    &res("icon"),
                    "Phone",
                    rect(63, top + 58, 147, top + 142),
                ),
                text(
                    &format!("{row_key}.number"),
                    &res("header_text"),
                    &number,
                    rect(210, top + 30, 860, top + 110),
                ),
                text(
                    &format!("{row_key}.kind"),
                    &res("sub_header"),
                    kind,
                    rect(210, top + 110, 860, top + 170),
                ),
                message,
            ],
        ));
        top += 200;
    }
    if let Some(email) = &contact.email {
        content.push(layout(
            "contacts.detail.email",
            class::LINEAR,
            &res("email_row"),
            rect(0, top, 1080, top + 200),
            vec![
                image(
                    "contacts.detail.email.icon",
                    &res("icon"),
                    "Email",
                    rect(63, top + 58, 147, top + 142),
                ),
                text(
                    "contacts.detail.email.address",
                    &res("header_text"),
                    email,
                    rect(210, top + 30, 1017, top + 110),
                ),
                text(
                    "contacts.detail.email.kind",
                    &res("sub_header"),
                    "Personal",
                    rect(210, top + 110, 1017, top + 170),
                ),
            ],
        ));
    }
    AppView::page(content)
}

fn render_new(form: &NewContact, ui: &mut Ui) -> AppView {
    let saved = form.clone();
    let save = ui.button(
        "contacts.new.save",
        &res("toolbar_button"),
        "Save",
        rect(820, 115, 1040, 231),
        act(move |world| {
            let name = format!("{} {}", saved.first.trim(), saved.last.trim())
                .trim()
                .to_owned();
            if name.is_empty() && saved.phone.trim().is_empty() {
                return;
            }
            let id = world.state.next_id();
            let email = saved.email.trim();
            world.state.contacts.push(Contact {
                id,
                name: if name.is_empty() {
                    saved.phone.trim().to_owned()
                } else {
                    name
                },
                mobile: saved.phone.trim().to_owned(),
                work: None,
                email: (!email.is_empty()).then(|| email.to_owned()),
                starred: false,
            });
            world.nav.replace(AnyPage::Contacts(Page::Detail { id }));
        }),
    );
    let toolbar = ui.toolbar(
        "contacts.new",
        PACKAGE,
        "Create contact",
        Some(up()),
        vec![save],
    );
    let mut content = vec![toolbar];
    type Setter = fn(&mut NewContact, String);
    let fields: [(&str, &str, &str, Setter); 4] = [
        ("first", "First name", &form.first, |f, t| f.first = t),
        ("last", "Last name", &form.last, |f, t| f.last = t),
        ("phone", "Phone", &form.phone, |f, t| f.phone = t),
        ("email", "Email", &form.email, |f, t| f.email = t),
    ];
    let mut top = 320;
    for (key, hint, value, setter) in fields {
        content.push(ui.field(
            &format!("contacts.new.{key}"),
            &res("editor_field"),
            &FieldSpec {
                text: value,
                hint,
                password: false,
                description: "",
            },
            rect(189, top, 1017, top + 150),
            set_page(move |page, typed| {
                if let Page::New(form) = page {
                    setter(form, typed);
                }
            }),
            None,
        ));
        top += 190;
    }
    AppView::page(content)
}
