using Fangyi.Core.Printing;
using PdfSharp.Drawing;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// The release certificate (解除隔离证明) as a one-page A4 PDF: the person's name, the masked ID number (never the
/// full one), the site, the dates of the stay and the certificate number. Drawn by the core's PDF machinery.
/// </summary>
public sealed class ReleaseCertificate(string fontPath = LabelFont.DefaultPath)
{
    public sealed record Content(string Name, string IdMasked, string Site, string SiteAddress, long CheckedInAt, long ReleasedAt, string Number, string Reason);

    public byte[] Pdf(Content c) => SheetRender.Pdf("解除隔离证明 " + c.Number, [Page(c)], fontPath);

    private static SheetPage Page(Content c)
    {
        var marks = new List<Mark>
        {
            TextMark.Fit("解除隔离证明", 20, 30, 170, 12),
            TextMark.Fit("编号：" + c.Number, 20, 50, 170, 4.5, XStringAlignment.Far),
            TextMark.Fit($"{c.Name}（证件号码 {c.IdMasked}）：", 20, 70, 170, 5.5, XStringAlignment.Near),
            TextMark.Fit($"于 {QuarantineDays.Date(c.CheckedInAt)} 至 {QuarantineDays.Date(c.ReleasedAt)} 在 {c.Site} 集中隔离，", 28, 82, 162, 5.5, XStringAlignment.Near),
            TextMark.Fit("隔离期满，核酸检测结果均为阴性，准予解除隔离。", 28, 94, 162, 5.5, XStringAlignment.Near),
            TextMark.Fit("隔离原因：" + c.Reason, 28, 106, 162, 4.5, XStringAlignment.Near),
            TextMark.Fit(c.Site, 100, 140, 90, 5, XStringAlignment.Far),
            TextMark.Fit(c.SiteAddress, 100, 150, 90, 4, XStringAlignment.Far),
            TextMark.Fit(QuarantineDays.Date(c.ReleasedAt), 100, 160, 90, 5, XStringAlignment.Far),
        };
        return new SheetPage(210, 297, marks);
    }
}
