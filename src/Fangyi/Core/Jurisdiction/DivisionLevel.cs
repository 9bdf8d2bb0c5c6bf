namespace Fangyi.Core.Jurisdiction;

public enum DivisionLevel
{
    Province = 1,
    City = 2,
    County = 3,
    Township = 4,
    Village = 5,
}
