//! Typed identifiers: newtypes over [`Uuid`](crate::uuid::Uuid).
//!
//! Callers mint ids (e.g. `Uuid::now_v7()` in the embedding application, or ids from their
//! database); no function of ours reads the clock or a random source. Each kind of id is its
//! own type, so a member id cannot be passed where a loan id is expected.

/// Defines a typed id: a `Copy` newtype over [`Uuid`](crate::uuid::Uuid) with `Display`/`FromStr` in the
/// hyphenated form and serde (behind the `serde` feature) as the UUID string.
///
/// Other koperasi crates use it for their own ids. The `serde` derives are switched on by
/// the *calling* crate's `serde` feature, which must then depend on `serde` with `derive`.
///
///
/// ```
/// koperasi_core::define_id! {
///     /// A receipt (kuitansi).
///     pub struct ReceiptId;
/// }
/// let id = ReceiptId::from_u128(7);
/// assert_eq!(id.to_string(), "00000000-0000-0000-0000-000000000007");
/// assert_eq!(id.to_string().parse::<ReceiptId>()?, id);
/// # Ok::<(), koperasi_core::uuid::Error>(())
/// ```
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        $vis struct $name($crate::uuid::Uuid);

        impl $name {
            /// Wraps a UUID minted by the caller (e.g. `Uuid::now_v7()`).
            pub const fn from_uuid(uuid: $crate::uuid::Uuid) -> Self {
                Self(uuid)
            }
            /// An id from a 128-bit number: handy for tests and fixtures.
            pub const fn from_u128(n: u128) -> Self {
                Self($crate::uuid::Uuid::from_u128(n))
            }
            /// The UUID.
            pub const fn as_uuid(&self) -> $crate::uuid::Uuid {
                self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::uuid::Error;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                $crate::uuid::Uuid::parse_str(s).map(Self)
            }
        }

        impl ::core::convert::From<$crate::uuid::Uuid> for $name {
            fn from(uuid: $crate::uuid::Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

define_id! {
    /// A cooperative (one KDMP/KKMP).
    #[doc(alias = "koperasi")]
    pub struct CooperativeId;
}
define_id! {
    /// A member (anggota or calon anggota).
    #[doc(alias = "anggota")]
    pub struct MemberId;
}
define_id! {
    /// A person acting on the books (pengurus, pengawas, staff, a city officer): the `actor`
    /// recorded with every entry.
    #[doc(alias = "pelaku")]
    pub struct ActorId;
}
define_id! {
    /// A journal entry; chosen by the caller, it is also the idempotency key.
    #[doc(alias = "jurnal")]
    pub struct EntryId;
}
define_id! {
    /// A loan (pinjaman).
    #[doc(alias = "pinjaman")]
    pub struct LoanId;
}
define_id! {
    /// A savings account (rekening simpanan).
    #[doc(alias = "simpanan")]
    pub struct SavingsAccountId;
}
define_id! {
    /// A product (savings or loan product, or an item of goods).
    #[doc(alias = "produk")]
    pub struct ProductId;
}
define_id! {
    /// A business transaction or document (a sale, a purchase, a QRIS payment…).
    #[doc(alias = "transaksi")]
    pub struct TransactionId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_debug() {
        let id = MemberId::from_u128(0x1234);
        assert_eq!(id.to_string().parse::<MemberId>().unwrap(), id);
        assert_eq!(
            format!("{id:?}"),
            "MemberId(00000000-0000-0000-0000-000000001234)"
        );
        assert!("not-a-uuid".parse::<MemberId>().is_err());
        assert_eq!(MemberId::from_uuid(id.as_uuid()), id);
    }
}
