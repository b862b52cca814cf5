//! Shop (`com.lobster.sim.shop`): a searchable product list, product pages with a quantity
//! stepper and "Add to cart", the cart, and a checkout whose "Pay" button records an order.
//!
//! Why a shop: paying is the most sensitive step an agent takes, the one the guard must stop
//! for the user's confirmation, and a checkout flow spread over four pages is where a small
//! model loses track of quantities.

use std::rc::Rc;

use super::{AppView, Frame, act, up};
use crate::nav::{Page as AnyPage, World};
use crate::state::{Product, SimState, price};
use crate::ui::{FieldSpec, ListSpec, OnTap, TOOLBAR_BOTTOM, Ui, class, image, layout, rect, text};
use lobster_core::screen::Node;

const PACKAGE: &str = "com.lobster.sim.shop";

/// A page of Shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Page {
    /// The product list.
    Home {
        /// The search text.
        query: String,
    },
    /// One product.
    Product {
        /// The product's id.
        id: u32,
        /// The quantity chosen.
        quantity: u32,
        /// "Added to cart" shows.
        added: bool,
    },
    /// The cart.
    Cart,
    /// Checkout.
    Checkout,
    /// The order confirmation.
    Ordered {
        /// The order number.
        order_id: u32,
    },
}

fn res(name: &str) -> String {
    format!("{PACKAGE}:id/{name}")
}

/// Renders a Shop page.
pub(crate) fn render(page: &Page, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    match page {
        Page::Home { query } => render_home(query, state, frame, ui),
        Page::Product {
            id,
            quantity,
            added,
        } => render_product(*id, *quantity, *added, state, frame, ui),
        Page::Cart => render_cart(state, frame, ui),
        Page::Checkout => render_checkout(state, ui),
        Page::Ordered { order_id } => render_ordered(*order_id, ui),
    }
}

fn open_product(id: u32) -> OnTap {
    act(move |world| {
        world.nav.push(AnyPage::Shop(Page::Product {
            id,
            quantity: 1,
            added: false,
        }));
    })
}

fn cart_button(ui: &mut Ui, scope: &str, state: &SimState) -> Node {
    let items: u32 = state.cart.iter().map(|line| line.quantity).sum();
    ui.toolbar_action(
        &format!("shop.{scope}.cart"),
        &res("action_cart"),
        &format!("Cart, {items} item{}", if items == 1 { "" } else { "s" }),
        0,
        act(|world| world.nav.push(AnyPage::Shop(Page::Cart))),
    )
}

/// The products the list shows for `query`.
pub(crate) fn visible_products<'a>(state: &'a SimState, query: &str) -> Vec<&'a Product> {
    let wanted = query.trim().to_lowercase();
    state
        .products
        .iter()
        .filter(|product| {
            // A product only reachable from the banner is not listed.
            state
                .banner
                .as_ref()
                .is_none_or(|banner| banner.product_id != product.id)
        })
        .filter(|product| wanted.is_empty() || product.name.to_lowercase().contains(&wanted))
        .collect()
}

fn render_home(query: &str, state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let cart = cart_button(ui, "home", state);
    let toolbar = ui.toolbar("shop.home", PACKAGE, "Shop", None, vec![cart]);
    let search = ui.field(
        "shop.home.search",
        &res("search_src_text"),
        &FieldSpec {
            text: query,
            hint: "Search products",
            password: false,
            description: "",
        },
        rect(42, 270, 1038, 390),
        Rc::new(|world: &mut World<'_>, typed: String| {
            if let Some(AnyPage::Shop(Page::Home { query })) = world.page() {
                *query = typed;
            }
        }),
        None,
    );
    let mut content = vec![toolbar, search];
    let mut list_top = 410;
    if let Some(banner) = &state.banner {
        let node = layout(
            "shop.home.banner",
            class::FRAME,
            &res("promo_banner"),
            rect(42, 410, 1038, 610),
            vec![text(
                "shop.home.banner.text",
                &res("promo_text"),
                &banner.text,
                rect(72, 430, 1008, 590),
            )],
        );
        content.push(ui.clickable(node, open_product(banner.product_id)));
        list_top = 630;
    }
    let products = visible_products(state, query);
    if products.is_empty() {
        content.push(text(
            "shop.home.empty",
            &res("empty"),
            "No products match your search",
            rect(63, list_top + 40, 1017, list_top + 120),
        ));
        return AppView::page(content);
    }
    let heights = vec![230; products.len()];
    content.push(ui.list(
        &ListSpec {
            key: "shop.home.list",
            res: &res("product_list"),
            bounds: rect(0, list_top, 1080, frame.bottom),
            heights: &heights,
            from_end: false,
        },
        |ui, index, bounds| {
            let product = products[index];
            let key = format!("shop.home.product{}", product.id);
            let row = layout(
                &key,
                class::LINEAR,
                &res("product_row"),
                bounds,
                vec![
                    image(
                        &format!("{key}.image"),
                        &res("product_image"),
                        "",
                        rect(42, bounds.top + 25, 222, bounds.bottom - 25),
                    ),
                    text(
                        &format!("{key}.name"),
                        &res("product_name"),
                        &product.name,
                        rect(250, bounds.top + 25, 1017, bounds.top + 95),
                    ),
                    text(
                        &format!("{key}.price"),
                        &res("product_price"),
                        &price(product.price_cents),
                        rect(250, bounds.top + 95, 600, bounds.top + 155),
                    ),
                    text(
                        &format!("{key}.rating"),
                        &res("product_rating"),
                        &rating(product),
                        rect(250, bounds.top + 155, 1017, bounds.bottom - 20),
                    ),
                ],
            );
            ui.clickable(row, open_product(product.id))
        },
    ));
    AppView::page(content)
}

fn rating(product: &Product) -> String {
    format!(
        "{}.{} stars ({} reviews)",
        product.rating_tenths / 10,
        product.rating_tenths % 10,
        product.reviews
    )
}

fn change_quantity(delta: i32) -> OnTap {
    act(move |world| {
        if let Some(AnyPage::Shop(Page::Product {
            quantity, added, ..
        })) = world.page()
        {
            let next = i64::from(*quantity) + i64::from(delta);
            *quantity = u32::try_from(next.clamp(1, 10)).unwrap_or(1);
            *added = false;
        }
    })
}

fn render_product(
    id: u32,
    quantity: u32,
    added: bool,
    state: &SimState,
    frame: Frame,
    ui: &mut Ui,
) -> AppView {
    let cart = cart_button(ui, "product", state);
    let toolbar = ui.toolbar("shop.product", PACKAGE, "", Some(up()), vec![cart]);
    let Some(product) = state.product(id) else {
        return AppView::page(vec![
            toolbar,
            text(
                "shop.product.missing",
                "",
                "This product is no longer available",
                rect(63, 400, 1017, 480),
            ),
        ]);
    };
    let mut content = vec![
        toolbar,
        image(
            "shop.product.image",
            &res("product_image"),
            "",
            rect(240, 280, 840, 880),
        ),
        text(
            "shop.product.name",
            &res("product_title"),
            &product.name,
            rect(63, 910, 1017, 1000),
        ),
        text(
            "shop.product.price",
            &res("product_price"),
            &price(product.price_cents),
            rect(63, 1000, 500, 1080),
        ),
        text(
            "shop.product.rating",
            &res("product_rating"),
            &rating(product),
            rect(63, 1080, 1017, 1140),
        ),
        text(
            "shop.product.description",
            &res("product_description"),
            &product.description,
            rect(63, 1160, 1017, 1400),
        ),
    ];
    let decrease = ui.image_button(
        "shop.product.decrease",
        &res("quantity_minus"),
        "Decrease quantity",
        rect(63, 1440, 203, 1580),
        change_quantity(-1),
    );
    let increase = ui.image_button(
        "shop.product.increase",
        &res("quantity_plus"),
        "Increase quantity",
        rect(363, 1440, 503, 1580),
        change_quantity(1),
    );
    content.push(layout(
        "shop.product.quantity_row",
        class::LINEAR,
        &res("quantity_stepper"),
        rect(63, 1440, 503, 1580),
        vec![
            decrease,
            text(
                "shop.product.quantity",
                &res("quantity"),
                &format!("Qty {quantity}"),
                rect(213, 1470, 353, 1550),
            ),
            increase,
        ],
    ));
    let add_top = (frame.bottom - 200).min(1640);
    content.push(ui.button(
        "shop.product.add",
        &res("add_to_cart"),
        "Add to cart",
        rect(63, add_top, 1017, add_top + 150),
        act(move |world| {
            world.state.add_to_cart(id, quantity);
            if let Some(AnyPage::Shop(Page::Product { added, .. })) = world.page() {
                *added = true;
            }
        }),
    ));
    if added {
        let view = ui.button(
            "shop.product.view_cart",
            &res("snackbar_action"),
            "View cart",
            rect(760, 1860, 1017, 1980),
            act(|world| world.nav.push(AnyPage::Shop(Page::Cart))),
        );
        content.push(layout(
            "shop.product.snackbar",
            class::LINEAR,
            &res("snackbar"),
            rect(42, 1840, 1038, 2000),
            vec![
                text(
                    "shop.product.snackbar.text",
                    &res("snackbar_text"),
                    "Added to cart",
                    rect(84, 1870, 740, 1970),
                ),
                view,
            ],
        ));
    }
    AppView::page(content)
}

fn render_cart(state: &SimState, frame: Frame, ui: &mut Ui) -> AppView {
    let toolbar = ui.toolbar("shop.cart", PACKAGE, "Cart", Some(up()), Vec::new());
    let mut content = vec![toolbar];
    if state.cart.is_empty() {
        content.push(text(
            "shop.cart.empty",
            &res("empty"),
            "Your cart is empty",
            rect(63, 400, 1017, 480),
        ));
        return AppView::page(content);
    }
    let footer_top = frame.bottom - 330;
    let heights = vec![240; state.cart.len()];
    content.push(ui.list(
        &ListSpec {
            key: "shop.cart.list",
            res: &res("cart_list"),
            bounds: rect(0, TOOLBAR_BOTTOM, 1080, footer_top),
            heights: &heights,
            from_end: false,
        },
        |ui, index, bounds| {
            let line = state.cart[index];
            let key = format!("shop.cart.line{}", line.product_id);
            let name = state
                .product(line.product_id)
                .map_or("Unavailable item", |product| product.name.as_str());
            let product_id = line.product_id;
            let remove = ui.button(
                &format!("{key}_remove"),
                &res("remove"),
                "Remove",
                rect(780, bounds.top + 60, 1017, bounds.top + 180),
                act(move |world| {
                    world
                        .state
                        .cart
                        .retain(|line| line.product_id != product_id)
                }),
            );
            let line_price = state.total_cents(&[line]);
            layout(
                &key,
                class::LINEAR,
                &res("cart_item"),
                bounds,
                vec![
                    text(
                        &format!("{key}.name"),
                        &res("item_name"),
                        name,
                        rect(63, bounds.top + 30, 760, bounds.top + 100),
                    ),
                    text(
                        &format!("{key}.quantity"),
                        &res("item_quantity"),
                        &format!("Qty {}", line.quantity),
                        rect(63, bounds.top + 100, 400, bounds.top + 160),
                    ),
                    text(
                        &format!("{key}.price"),
                        &res("item_price"),
                        &price(line_price),
                        rect(400, bounds.top + 100, 760, bounds.top + 160),
                    ),
                    remove,
                ],
            )
        },
    ));
    content.push(text(
        "shop.cart.subtotal",
        &res("subtotal"),
        &format!("Subtotal: {}", price(state.total_cents(&state.cart))),
        rect(63, footer_top + 20, 1017, footer_top + 100),
    ));
    content.push(ui.button(
        "shop.cart.checkout",
        &res("checkout"),
        "Checkout",
        rect(63, footer_top + 140, 1017, footer_top + 290),
        act(|world| world.nav.push(AnyPage::Shop(Page::Checkout))),
    ));
    AppView::page(content)
}

fn render_checkout(state: &SimState, ui: &mut Ui) -> AppView {
    let toolbar = ui.toolbar("shop.checkout", PACKAGE, "Checkout", Some(up()), Vec::new());
    let total = state.total_cents(&state.cart);
    let items: u32 = state.cart.iter().map(|line| line.quantity).sum();
    let mut content = vec![
        toolbar,
        text(
            "shop.checkout.ship_header",
            &res("section_title"),
            "Ship to",
            rect(63, 290, 1017, 360),
        ),
        text(
            "shop.checkout.address",
            &res("address"),
            "Sam Lobster, 12 Harbour Road, Seaside 90210",
            rect(63, 360, 1017, 480),
        ),
        text(
            "shop.checkout.payment_header",
            &res("section_title"),
            "Payment method",
            rect(63, 520, 1017, 590),
        ),
        text(
            "shop.checkout.card",
            &res("payment_method"),
            "Visa •••• 4242",
            rect(63, 590, 1017, 670),
        ),
        text(
            "shop.checkout.summary",
            &res("order_summary"),
            &format!(
                "{items} item{} · Order total {}",
                if items == 1 { "" } else { "s" },
                price(total)
            ),
            rect(63, 720, 1017, 800),
        ),
    ];
    if state.cart.is_empty() {
        content.push(ui.disabled_button(
            "shop.checkout.pay",
            &res("pay_button"),
            "Pay",
            rect(63, 900, 1017, 1050),
        ));
    } else {
        content.push(ui.button(
            "shop.checkout.pay",
            &res("pay_button"),
            &format!("Pay {}", price(total)),
            rect(63, 900, 1017, 1050),
            act(|world| {
                if let Some(order_id) = world.state.pay() {
                    world.nav.replace(AnyPage::Shop(Page::Ordered { order_id }));
                }
            }),
        ));
    }
    AppView::page(content)
}

fn render_ordered(order_id: u32, ui: &mut Ui) -> AppView {
    let toolbar = ui.toolbar(
        "shop.ordered",
        PACKAGE,
        "Order placed",
        Some(up()),
        Vec::new(),
    );
    let continue_shopping = ui.button(
        "shop.ordered.continue",
        &res("continue_button"),
        "Continue shopping",
        rect(63, 700, 1017, 850),
        act(|world| world.nav.pop_to_root()),
    );
    AppView::page(vec![
        toolbar,
        text(
            "shop.ordered.thanks",
            &res("confirmation"),
            &format!("Thank you! Order #{order_id} is on its way."),
            rect(63, 400, 1017, 560),
        ),
        continue_shopping,
    ])
}
