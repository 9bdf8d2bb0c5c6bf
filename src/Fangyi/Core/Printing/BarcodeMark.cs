namespace Fangyi.Core.Printing;

internal sealed record BarcodeMark(BarcodeModules Modules, double X, double Y, double Width, double Height) : Mark;
