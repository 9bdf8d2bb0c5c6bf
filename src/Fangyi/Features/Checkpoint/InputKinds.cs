namespace Fangyi.Features.Checkpoint;

// What a device can send: the kind is told from the text itself.
public static class InputKinds
{
    public const string IdNumber = "id_number";             // 身份证号 (card reader or typed)
    public const string CitizenCode = "citizen_code";       // 市民码
    public const string HealthCode = "health_code";         // 健康码
    public const string SocialSecurity = "social_security"; // 社保卡
    public const string Document = "document";              // passport and permits, typed
}
