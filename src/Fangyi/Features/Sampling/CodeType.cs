namespace Fangyi.Features.Sampling;

public enum CodeType
{
    Tube,   // 试管码
    Box,    // 转运箱码
}
