namespace Fangyi.Core.Printing;

// A dashed line to cut along.
internal sealed record CutMark(double X, double Y, double Width, double Height) : Mark;
