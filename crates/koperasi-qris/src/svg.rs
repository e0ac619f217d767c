//! SVG rendering (feature `svg`).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use crate::{Error, Qris};

/// Renders a payload as an SVG QR code (error correction level M, at least 256×256 px),
/// ready for an app to show.
///
/// ```
/// let svg = koperasi_qris::to_svg("00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC")?;
/// assert!(svg.starts_with("<?xml"));
/// # Ok::<(), koperasi_qris::Error>(())
/// ```
///
/// # Errors
/// [`Error::Render`] when the payload does not fit in a QR code.
pub fn to_svg(payload: &str) -> Result<String, Error> {
    let code =
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).map_err(|e| {
            Error::Render {
                reason: e.to_string(),
            }
        })?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

impl Qris<'_> {
    /// Renders this payload as an SVG QR code (see [`to_svg`]).
    ///
    /// # Errors
    /// [`Error::Render`] when the payload does not fit in a QR code.
    pub fn to_svg(&self) -> Result<String, Error> {
        to_svg(self.as_str())
    }
}
