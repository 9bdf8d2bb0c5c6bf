namespace Fangyi.Core.Codes;

public enum CodeKind
{
    Citizen = 1,   // 市民码
    Pass = 2,      // 通行证
}
