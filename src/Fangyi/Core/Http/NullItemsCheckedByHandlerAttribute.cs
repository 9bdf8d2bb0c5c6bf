namespace Fangyi.Core.Http;

/// <summary>An item type whose batch handler refuses null items itself, naming the index in its problem.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NullItemsCheckedByHandlerAttribute : Attribute;
