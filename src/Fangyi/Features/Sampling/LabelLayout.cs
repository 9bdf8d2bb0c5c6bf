namespace Fangyi.Features.Sampling;

public enum LabelLayout
{
    A4,           // A4 sheet of self-adhesive labels, office printer
    Thermal50x30, // roll of 50 × 30 mm labels, thermal printer
}
