using System.Reflection;
using ScottPlot;
using SkiaSharp;

namespace TurnoDigital.Core.Reporting.Pdf;

/// <summary>The embedded DejaVu fonts: the PDF embeds them, so any machine renders the same file.</summary>
static class PdfFonts
{
    public const string Family = "DejaVu Sans";
    public static readonly SKTypeface Regular = Load("DejaVuSans.ttf");
    public static readonly SKTypeface Bold = Load("DejaVuSans-Bold.ttf");

    static SKTypeface Load(string file)
    {
        using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream("TurnoDigital.Fonts." + file)
            ?? throw new InvalidOperationException($"Font resource {file} is missing.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return SKTypeface.FromData(SKData.CreateCopy(memory.ToArray())) ?? throw new InvalidOperationException($"Font {file} is unreadable.");
    }

    static int registered;

    /// <summary>ScottPlot asks its resolvers for a typeface by name; ours answers for the embedded family, so charts never depend on system fonts.</summary>
    public static void RegisterWithScottPlot()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1) return;
        ScottPlot.Fonts.FontResolvers.Insert(0, new Resolver());
    }

    sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Family ? (weight >= FontWeight.SemiBold ? Bold : Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == Family ? (bold ? Bold : Regular) : null;
    }
}

/// <summary>A column of a drawn table.</summary>
sealed record PdfColumn(string Header, float Width, bool Right = true);

/// <summary>Small drawing helpers over a PDF page canvas (points; y grows downwards).</summary>
sealed class PdfPainter(SKCanvas canvas)
{
    public static readonly SKColor Ink = new(0x1f, 0x29, 0x37), Muted = new(0x5b, 0x67, 0x75), Line = new(0xd5, 0xdb, 0xe3),
        HeaderFill = new(0x0b, 0x4f, 0x8a), Zebra = new(0xf1, 0xf5, 0xf9), Accent = new(0x0b, 0x4f, 0x8a);

    public SKCanvas Canvas => canvas;

    public void Text(string text, float x, float y, float size, bool bold = false, SKColor? color = null, SKTextAlign align = SKTextAlign.Left)
    {
        using var font = new SKFont(bold ? PdfFonts.Bold : PdfFonts.Regular, size);
        using var paint = new SKPaint { Color = color ?? Ink, IsAntialias = true };
        canvas.DrawText(text, x, y, align, font, paint);
    }

    public static float Width(string text, float size, bool bold = false)
    {
        using var font = new SKFont(bold ? PdfFonts.Bold : PdfFonts.Regular, size);
        return font.MeasureText(text);
    }

    /// <summary>Cuts text to fit a width, with an ellipsis.</summary>
    public static string Fit(string text, float width, float size, bool bold = false)
    {
        if (Width(text, size, bold) <= width) return text;
        var cut = text;
        while (cut.Length > 1 && Width(cut + "…", size, bold) > width) cut = cut[..^1];
        return cut + "…";
    }

    public void Rect(float x, float y, float w, float h, SKColor fill)
    {
        using var paint = new SKPaint { Color = fill, Style = SKPaintStyle.Fill };
        canvas.DrawRect(x, y, w, h, paint);
    }

    public void HLine(float x1, float x2, float y, SKColor? color = null, float width = 0.5f)
    {
        using var paint = new SKPaint { Color = color ?? Line, StrokeWidth = width, Style = SKPaintStyle.Stroke };
        canvas.DrawLine(x1, y, x2, y, paint);
    }

    public const float RowHeight = 16, HeaderHeight = 34, FontSize = 7.5f, HeaderFontSize = 6.5f, Pad = 2.5f;

    /// <summary>A table header: white bold text on the accent band, word-wrapped onto up to three lines, bottom-aligned.</summary>
    public void TableHeader(float x, float y, IReadOnlyList<PdfColumn> columns)
    {
        Rect(x, y, columns.Sum(c => c.Width), HeaderHeight, HeaderFill);
        var cx = x;
        foreach (var c in columns)
        {
            var lines = Wrap(c.Header, c.Width - 2 * Pad, HeaderFontSize, 3);
            var ly = y + HeaderHeight - 6 - (lines.Count - 1) * 8.5f;
            foreach (var line in lines)
            {
                Text(line, c.Right ? cx + c.Width - Pad : cx + Pad, ly, HeaderFontSize, bold: true, SKColors.White, c.Right ? SKTextAlign.Right : SKTextAlign.Left);
                ly += 8.5f;
            }
            cx += c.Width;
        }
    }

    /// <summary>Greedy word wrap; the last allowed line is cut with an ellipsis.</summary>
    static List<string> Wrap(string text, float width, float size, int maxLines)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && Width(candidate, size, true) > width) { lines.Add(current); current = word; }
            else current = candidate;
        }
        lines.Add(current);
        if (lines.Count > maxLines) lines = [.. lines[..(maxLines - 1)], string.Join(' ', lines[(maxLines - 1)..])];
        return lines.Select(l => Fit(l, width, size, true)).ToList();
    }

    public void TableRow(float x, float y, IReadOnlyList<PdfColumn> columns, IReadOnlyList<string> cells, bool zebra, bool bold = false)
    {
        if (zebra) Rect(x, y, columns.Sum(c => c.Width), RowHeight, Zebra);
        var cx = x;
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            var text = Fit(cells[i], c.Width - 2 * Pad, FontSize, bold);
            Text(text, c.Right ? cx + c.Width - Pad : cx + Pad, y + 11, FontSize, bold, Ink, c.Right ? SKTextAlign.Right : SKTextAlign.Left);
            cx += c.Width;
        }
        HLine(x, x + columns.Sum(c => c.Width), y + RowHeight);
    }
}
