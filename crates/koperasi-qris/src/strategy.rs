//! Proptest strategies (feature `proptest`): valid builders and payloads for property tests
//! of code that consumes QRIS.

use proptest::prelude::*;

use crate::{Amount, Fee, MerchantCriteria, Percentage, QrisBuilder};

const ANS25: &str = "[A-Z0-9][A-Za-z0-9 .-]{0,24}";
const ANS15: &str = "[A-Z0-9][A-Za-z0-9 .-]{0,14}";
const ANS12: &str = "[A-Z][A-Za-z0-9 ]{0,11}";

/// A merchant criteria.
pub fn criteria() -> impl Strategy<Value = MerchantCriteria> {
    prop_oneof![
        Just(MerchantCriteria::Umi),
        Just(MerchantCriteria::Uke),
        Just(MerchantCriteria::Ume),
        Just(MerchantCriteria::Ube),
        Just(MerchantCriteria::Ure),
    ]
}

/// A valid transaction amount (Rp0,01 to Rp9.999.999.999,99: at most 13 characters).
pub fn amount() -> impl Strategy<Value = Amount> {
    (1u64..1_000_000_000_000).prop_filter_map("valid amount", |sen| {
        let text = if sen % 100 == 0 {
            (sen / 100).to_string()
        } else {
            format!("{}.{:02}", sen / 100, sen % 100)
        };
        Amount::parse(&text).ok()
    })
}

/// A tip or fee.
pub fn fee() -> impl Strategy<Value = Fee> {
    prop_oneof![
        Just(Fee::TipPrompt),
        amount().prop_map(Fee::Fixed),
        (1u32..10_000).prop_filter_map("valid percentage", |bp| {
            Percentage::parse(&format!("{}.{:02}", bp / 100, bp % 100))
                .ok()
                .map(Fee::Percent)
        }),
    ]
}

/// A valid QRIS builder: national template, one domestic acquirer template, optional
/// amount, fee, postal code, additional data and language template.
pub fn builder() -> impl Strategy<Value = QrisBuilder> {
    (
        (ANS25, ANS15, "[0-9]{4}"),
        (
            26u8..=45,
            "[0-9]{8,19}",
            "[A-Z0-9]{1,15}",
            criteria(),
            "[0-9]{13}",
        ),
        proptest::option::of(amount()),
        proptest::option::of(fee()),
        proptest::option::of("[0-9]{5}"),
        proptest::collection::btree_map(1u8..=8, ANS25, 0..=3),
        proptest::option::of((ANS12, "[A-Z][a-z]{0,9}")),
    )
        .prop_map(
            |((name, city, mcc), (tag, pan, mid, crit, nmid), amount, fee, postal, extra, lang)| {
                let mut b = QrisBuilder::new(&name, &city, &mcc)
                    .merchant_account(tag, "ID.CO.KOPERASI.WWW", &pan, &mid, crit)
                    .national(&format!("ID{nmid}"), crit);
                if let Some(a) = amount {
                    b = b.amount(&a);
                }
                if let Some(f) = fee {
                    b = b.fee(&f);
                }
                if let Some(p) = postal {
                    b = b.postal_code(&p);
                }
                for (sub, v) in extra {
                    b = b.additional(sub, &v);
                }
                if let Some((n, c)) = lang {
                    b = b.language("ID", &n, Some(&c));
                }
                b
            },
        )
}
