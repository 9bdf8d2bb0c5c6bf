namespace Fangyi.Core.Printing;

// One printed page in mm, laid out once and drawn by both the HTML and the PDF renderer.
internal sealed record SheetPage(double Width, double Height, IReadOnlyList<Mark> Marks);
