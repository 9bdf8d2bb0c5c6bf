using Fangyi.Core.Codes;

namespace Fangyi.Features.Sampling;

/// <summary>The sentence a person is shown for a citizen code that does not verify.</summary>
public static class CodeMessages
{
    public static string For(CodeError error) => error switch
    {
        CodeError.Expired => "市民码已过期，请刷新后重试",
        CodeError.Revoked => "市民码已作废",
        CodeError.Signature or CodeError.UnknownKey => "市民码无法验证，可能是伪造或已更换",
        CodeError.NotYetValid => "市民码时间异常",
        CodeError.KeyRetired => "市民码的签名密钥已停用，请重新领取",
        _ => "不是有效的市民码",
    };
}
