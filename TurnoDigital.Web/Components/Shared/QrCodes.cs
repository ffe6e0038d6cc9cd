using QRCoder;

namespace TurnoDigital.Web.Components.Shared;

public static class QrCodes
{
    /// <summary>A QR code as a PNG data URI, sized to print crisply on a thermal printer.</summary>
    public static string PngDataUri(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(8);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
