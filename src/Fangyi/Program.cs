using Fangyi.Cli;

// `fangyi serve` runs the platform; the other commands work on its store directly (see Cli/Commands.cs).
return await Commands.Root().Parse(args).InvokeAsync();
