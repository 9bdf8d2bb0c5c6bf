namespace Fangyi.Core.Printing;

/// <summary>
/// The dark modules of a barcode, quiet zone included, in module units. A Code 128 symbol is one row
/// (each run is a bar) that renderers stretch to the height they want; a QR symbol is square.
/// </summary>
public sealed record BarcodeModules(int Width, int Height, IReadOnlyList<ModuleRun> Runs);
