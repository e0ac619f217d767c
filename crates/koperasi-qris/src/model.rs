//! Typed views over parsed data objects.

use core::fmt;
use core::str::FromStr;

use crate::tlv::{DataObject, Objects};

/// GUID of the QRIS national repository template (tag 51).
pub const NATIONAL_GUID: &str = "ID.CO.QRIS.WWW";

/// Point of initiation method (tag 01).
#[doc(alias = "QRIS statis")]
#[doc(alias = "QRIS dinamis")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PointOfInitiation {
    /// `11`: the same code for many payments (QRIS statis, the printed sticker).
    Static,
    /// `12`: a new code for each payment (QRIS dinamis, usually with an amount).
    Dynamic,
}

impl PointOfInitiation {
    /// `"11"` or `"12"`.
    pub fn code(&self) -> &'static str {
        match self {
            PointOfInitiation::Static => "11",
            PointOfInitiation::Dynamic => "12",
        }
    }

    /// `"static"` or `"dynamic"`.
    pub fn name(&self) -> &'static str {
        match self {
            PointOfInitiation::Static => "static",
            PointOfInitiation::Dynamic => "dynamic",
        }
    }

    /// From the tag-01 value.
    pub fn from_code(s: &str) -> Option<PointOfInitiation> {
        match s {
            "11" => Some(PointOfInitiation::Static),
            "12" => Some(PointOfInitiation::Dynamic),
            _ => None,
        }
    }
}

/// Merchant criteria (kriteria merchant), sub-object 03 of merchant account templates;
/// it determines the MDR a merchant pays.
#[doc(alias = "kriteria merchant")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MerchantCriteria {
    /// `UMI`: usaha mikro.
    #[doc(alias = "usaha mikro")]
    Umi,
    /// `UKE`: usaha kecil.
    #[doc(alias = "usaha kecil")]
    Uke,
    /// `UME`: usaha menengah.
    #[doc(alias = "usaha menengah")]
    Ume,
    /// `UBE`: usaha besar.
    #[doc(alias = "usaha besar")]
    Ube,
    /// `URE`: reguler (assumed by issuers when the criteria is absent).
    #[doc(alias = "reguler")]
    Ure,
    /// `PSO`: public service obligation.
    Pso,
    /// `BLU`: Badan Layanan Umum.
    Blu,
}

impl MerchantCriteria {
    /// The three-letter code.
    pub fn as_str(&self) -> &'static str {
        match self {
            MerchantCriteria::Umi => "UMI",
            MerchantCriteria::Uke => "UKE",
            MerchantCriteria::Ume => "UME",
            MerchantCriteria::Ube => "UBE",
            MerchantCriteria::Ure => "URE",
            MerchantCriteria::Pso => "PSO",
            MerchantCriteria::Blu => "BLU",
        }
    }

    /// Indonesian description (`"usaha mikro"`).
    pub fn description(&self) -> &'static str {
        match self {
            MerchantCriteria::Umi => "usaha mikro",
            MerchantCriteria::Uke => "usaha kecil",
            MerchantCriteria::Ume => "usaha menengah",
            MerchantCriteria::Ube => "usaha besar",
            MerchantCriteria::Ure => "reguler",
            MerchantCriteria::Pso => "public service obligation",
            MerchantCriteria::Blu => "Badan Layanan Umum",
        }
    }

    /// From the code (exact, uppercase).
    pub fn from_code(s: &str) -> Option<MerchantCriteria> {
        Some(match s {
            "UMI" => MerchantCriteria::Umi,
            "UKE" => MerchantCriteria::Uke,
            "UME" => MerchantCriteria::Ume,
            "UBE" => MerchantCriteria::Ube,
            "URE" => MerchantCriteria::Ure,
            "PSO" => MerchantCriteria::Pso,
            "BLU" => MerchantCriteria::Blu,
            _ => return None,
        })
    }
}

impl fmt::Display for MerchantCriteria {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not a merchant criteria code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown merchant criteria {0:?} (expected UMI, UKE, UME, UBE, URE, PSO or BLU)")]
pub struct UnknownCriteria(pub String);

impl FromStr for MerchantCriteria {
    type Err = UnknownCriteria;
    fn from_str(s: &str) -> Result<Self, UnknownCriteria> {
        MerchantCriteria::from_code(&s.to_ascii_uppercase())
            .ok_or_else(|| UnknownCriteria(s.to_owned()))
    }
}

/// A merchant account information object (IDs 02–51). 02–25 are primitive (card network
/// identifiers); 26–51 are templates with a GUID (00) and network-specific sub-objects.
#[doc(alias = "MPAN")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MerchantAccount<'a> {
    obj: DataObject<'a>,
}

impl<'a> MerchantAccount<'a> {
    pub(crate) fn new(obj: DataObject<'a>) -> Self {
        MerchantAccount { obj }
    }

    /// The ID (02–51).
    pub fn tag(&self) -> u8 {
        self.obj.tag()
    }

    /// The underlying data object.
    pub fn object(&self) -> DataObject<'a> {
        self.obj
    }

    /// The raw value (for primitive 02–25, the whole account information).
    pub fn value(&self) -> &'a str {
        self.obj.value()
    }

    /// `true` for a template (26–51).
    pub fn is_template(&self) -> bool {
        self.obj.is_template()
    }

    /// `true` for the national repository template (51).
    pub fn is_national(&self) -> bool {
        self.tag() == 51
    }

    /// 00: globally unique identifier (reverse domain of the acquirer, `ID.CO.QRIS.WWW` for
    /// 51).
    pub fn guid(&self) -> Option<&'a str> {
        self.obj.child_value(0)
    }

    /// 01: merchant PAN (for 26–45; starts with the acquirer's 8-digit NNS).
    #[doc(alias = "MPAN")]
    pub fn pan(&self) -> Option<&'a str> {
        self.obj.child_value(1)
    }

    /// 02: merchant ID (for 26–45) or NMID (for 51).
    pub fn merchant_id(&self) -> Option<&'a str> {
        self.obj.child_value(2)
    }

    /// 03: merchant criteria as written.
    pub fn criteria_str(&self) -> Option<&'a str> {
        self.obj.child_value(3)
    }

    /// 03: merchant criteria, when it is a known code.
    pub fn criteria(&self) -> Option<MerchantCriteria> {
        self.criteria_str().and_then(MerchantCriteria::from_code)
    }

    /// The NNS (National Numbering System: the first 8 digits of the PAN) identifying the
    /// acquirer.
    pub fn nns(&self) -> Option<&'a str> {
        self.pan().and_then(|p| p.get(..8))
    }

    /// Every sub-object in payload order (empty for 02–25).
    pub fn subtags(&self) -> Objects<'a> {
        self.obj.children()
    }
}

/// The additional data field template (tag 62).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdditionalData<'a> {
    obj: DataObject<'a>,
}

impl<'a> AdditionalData<'a> {
    pub(crate) fn new(obj: DataObject<'a>) -> Self {
        AdditionalData { obj }
    }

    /// Sub-object `sub` (01–99).
    pub fn get(&self, sub: u8) -> Option<&'a str> {
        self.obj.child_value(sub)
    }

    /// Every sub-object in payload order (01–99, unknown ones included).
    pub fn objects(&self) -> Objects<'a> {
        self.obj.children()
    }

    /// 01: bill number (`***` = the app asks the customer).
    #[doc(alias = "nomor tagihan")]
    pub fn bill_number(&self) -> Option<&'a str> {
        self.get(1)
    }
    /// 02: mobile number.
    pub fn mobile_number(&self) -> Option<&'a str> {
        self.get(2)
    }
    /// 03: store label.
    pub fn store_label(&self) -> Option<&'a str> {
        self.get(3)
    }
    /// 04: loyalty number.
    pub fn loyalty_number(&self) -> Option<&'a str> {
        self.get(4)
    }
    /// 05: reference label (where converters put an invoice number).
    #[doc(alias = "referensi")]
    pub fn reference_label(&self) -> Option<&'a str> {
        self.get(5)
    }
    /// 06: customer label.
    pub fn customer_label(&self) -> Option<&'a str> {
        self.get(6)
    }
    /// 07: terminal label (the TID printed on QRIS stickers).
    pub fn terminal_label(&self) -> Option<&'a str> {
        self.get(7)
    }
    /// 08: purpose of transaction.
    pub fn purpose(&self) -> Option<&'a str> {
        self.get(8)
    }
    /// 09: additional consumer data request (`A`, `M`, `E`).
    pub fn consumer_data_request(&self) -> Option<&'a str> {
        self.get(9)
    }
    /// 10: merchant tax ID (`EMVCo` 1.1).
    pub fn merchant_tax_id(&self) -> Option<&'a str> {
        self.get(10)
    }
    /// 11: merchant channel (`EMVCo` 1.1).
    pub fn merchant_channel(&self) -> Option<&'a str> {
        self.get(11)
    }
}

/// The merchant information – language template (tag 64).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Language<'a> {
    obj: DataObject<'a>,
}

impl<'a> Language<'a> {
    pub(crate) fn new(obj: DataObject<'a>) -> Self {
        Language { obj }
    }
    /// 00: language preference (ISO 639 alpha-2).
    pub fn preference(&self) -> Option<&'a str> {
        self.obj.child_value(0)
    }
    /// 01: merchant name in the alternate language.
    pub fn merchant_name(&self) -> Option<&'a str> {
        self.obj.child_value(1)
    }
    /// 02: merchant city in the alternate language.
    pub fn merchant_city(&self) -> Option<&'a str> {
        self.obj.child_value(2)
    }
    /// Every sub-object in payload order.
    pub fn objects(&self) -> Objects<'a> {
        self.obj.children()
    }
}
