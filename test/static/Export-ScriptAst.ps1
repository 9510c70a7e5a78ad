using namespace System.Collections.Generic
using namespace System.Management.Automation.Language
# Parses PowerShell scripts with PowerShell's own parser and writes, as one JSON document on stdout, the facts the
# static rules in powershell-rules.ts work on (the ScriptFacts interface there).
#
#   pwsh -NoProfile -NonInteractive -File test/static/Export-ScriptAst.ps1 <file.ps1>...
param(
    [Parameter(Mandatory = $true, ValueFromRemainingArguments = $true)][string[]]$Path
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)

# Static methods: a class method call costs a fraction of a function call, and a script has thousands of nodes.
class ScriptFacts {
    # Token kinds of syntax that Windows PowerShell 5.1 does not have.
    static [HashSet[string]] $Ps7TokenKinds = [HashSet[string]]::new([string[]]@(
            'QuestionMark', 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket',
            'AndAnd', 'OrOr', 'Clean'))
    # Type suffixes and binary literals of PowerShell 6.2+ (5.1 has only l, d and the kb..pb multipliers).
    static [string] $Ps7NumberPattern = '^(0b[01]+|(0x[0-9a-f]+|[0-9.]+(e[+-]?[0-9]+)?)(u|ul|us|uy|s|y|n))((k|m|g|t|p)b)?$'
    # An unescaped `u{...}: PowerShell 6+ reads it as a Unicode character, 5.1 as the text u{...}.
    static [string] $UnicodeEscapePattern = '(^|[^`])(``)*`u\{'

    static [hashtable] At([IScriptExtent]$extent, [hashtable]$facts) {
        $facts['line'] = $extent.StartLineNumber
        $facts['column'] = $extent.StartColumnNumber
        return $facts
    }

    static [string] FirstLine([string]$text) {
        $line = ($text.Trim() -split '\r?\n')[0]
        if ($line.Length -gt 100) { return $line.Substring(0, 100) + [char]0x2026 }
        return $line
    }

    # Function bodies, script block literals and classes run in a scope of their own.
    static [bool] InScriptScope([Ast]$node) {
        for ($parent = $node.Parent; $null -ne $parent; $parent = $parent.Parent) {
            if ($parent -is [TypeDefinitionAst]) { return $false }
            if ($parent -is [ScriptBlockAst] -and $null -ne $parent.Parent) { return $false }
        }
        return $true
    }

    # $script:Params, @Params and ${Params} all name the variable "params".
    static [string] VariableName([VariableExpressionAst]$variable) {
        return ($variable.VariablePath.UserPath -replace '^(script|local|global|private):', '').ToLowerInvariant()
    }

    # The expression a statement is, when it is a single one: `$x = 'a'` has 'a' as its right-hand side.
    static [Ast] ExpressionOf([Ast]$node) {
        if ($node -is [PipelineAst] -and $node.PipelineElements.Count -eq 1) { $node = $node.PipelineElements[0] }
        if ($node -is [CommandExpressionAst]) { return $node.Expression }
        return $node
    }

    # The text of a quoted string without interpolation, else $null.
    static [object] StringValue([Ast]$node) {
        $node = [ScriptFacts]::ExpressionOf($node)
        if ($node -is [StringConstantExpressionAst] -and $node.StringConstantType -ne 'BareWord') { return $node.Value }
        if ($node -is [ExpandableStringExpressionAst] -and $node.NestedExpressions.Count -eq 0) { return $node.Value }
        return $null
    }

    # A hashtable key, member or index written as a literal: a bare word or a string without interpolation.
    static [object] KeyName([Ast]$node) {
        $node = [ScriptFacts]::ExpressionOf($node)
        if ($node -is [StringConstantExpressionAst]) { return $node.Value }
        return [ScriptFacts]::StringValue($node)
    }

    # @{ ... } or [ordered]@{ ... }, else $null.
    static [HashtableAst] HashtableLiteral([Ast]$node) {
        $node = [ScriptFacts]::ExpressionOf($node)
        if ($node -is [ConvertExpressionAst] -and $node.Type.TypeName.FullName -eq 'ordered') { $node = $node.Child }
        if ($node -is [HashtableAst]) { return $node }
        return $null
    }

    # `[string]$x = ...` assigns $x.
    static [Ast] AssignmentTarget([Ast]$left) {
        while ($left -is [AttributedExpressionAst]) { $left = $left.Child }
        return $left
    }

    static [hashtable] Command([CommandAst]$command) {
        $parameters = [List[object]]::new()
        $splats = [List[object]]::new()
        foreach ($element in $command.CommandElements) {
            if ($element -is [CommandParameterAst]) {
                $parameters.Add([ScriptFacts]::At($element.Extent, @{ name = $element.ParameterName }))
            }
            elseif ($element -is [VariableExpressionAst] -and $element.Splatted) {
                $splats.Add(@{ variable = [ScriptFacts]::VariableName($element); line = $element.Extent.StartLineNumber })
            }
        }
        $name = $command.GetCommandName()
        $operator = $null
        if ($command.InvocationOperator -ne 'Unknown') { $operator = [TokenTraits]::Text($command.InvocationOperator) }
        $nameExpression = $null
        if ($null -eq $name) { $nameExpression = $command.CommandElements[0].Extent.Text }
        return [ScriptFacts]::At($command.Extent, @{
                name               = $name
                nameExpression     = $nameExpression
                invocationOperator = $operator
                parameters         = $parameters.ToArray()
                splats             = $splats.ToArray()
                hasSplat           = $splats.Count -gt 0
                inScriptScope      = [ScriptFacts]::InScriptScope($command)
            })
    }

    static [hashtable] Assignment([AssignmentStatementAst]$assignment) {
        return @{
            target        = [ScriptFacts]::AssignmentTarget($assignment.Left).Extent.Text
            operator      = [TokenTraits]::Text($assignment.Operator)
            value         = [ScriptFacts]::FirstLine($assignment.Right.Extent.Text)
            stringValue   = [ScriptFacts]::StringValue($assignment.Right)
            line          = $assignment.Extent.StartLineNumber
            inScriptScope = [ScriptFacts]::InScriptScope($assignment)
        }
    }

    # One key added to a table held in a variable: $t.Key = ..., $t['Key'] = ... or $t.Add('Key', ...).
    static [hashtable] AddedKey([VariableExpressionAst]$variable, [object]$key, [int]$line) {
        if ($null -eq $key) { return $null }
        return @{ variable = [ScriptFacts]::VariableName($variable); line = $line; replaces = $false; keys = @(@{ name = $key; line = $line }) }
    }

    # What a statement tells about a variable as a splatting source: a new table with known keys, a new value of
    # unknown shape (keys $null), or one more key on the existing table.
    static [hashtable] Hashtable([Ast]$node) {
        $line = $node.Extent.StartLineNumber
        if ($node -is [InvokeMemberExpressionAst]) {
            $isAdd = -not $node.Static -and $node.Expression -is [VariableExpressionAst] -and [ScriptFacts]::KeyName($node.Member) -eq 'Add'
            if (-not $isAdd -or $null -eq $node.Arguments -or $node.Arguments.Count -eq 0) { return $null }
            return [ScriptFacts]::AddedKey($node.Expression, [ScriptFacts]::KeyName($node.Arguments[0]), $line)
        }
        $target = [ScriptFacts]::AssignmentTarget($node.Left)
        if ($target -is [VariableExpressionAst]) {
            $table = $null
            if ($node.Operator -eq 'Equals') { $table = [ScriptFacts]::HashtableLiteral($node.Right) }
            $keys = $null
            if ($null -ne $table) {
                $keys = [List[object]]::new()
                foreach ($pair in $table.KeyValuePairs) {
                    $key = [ScriptFacts]::KeyName($pair.Item1)
                    if ($null -eq $key) { $keys = $null; break }
                    $keys.Add(@{ name = $key; line = $pair.Item1.Extent.StartLineNumber })
                }
            }
            if ($null -ne $keys) { $keys = $keys.ToArray() }
            return @{ variable = [ScriptFacts]::VariableName($target); line = $line; replaces = $true; keys = $keys }
        }
        if ($target -is [MemberExpressionAst] -and -not $target.Static -and $target.Expression -is [VariableExpressionAst]) {
            return [ScriptFacts]::AddedKey($target.Expression, [ScriptFacts]::KeyName($target.Member), $line)
        }
        if ($target -is [IndexExpressionAst] -and $target.Target -is [VariableExpressionAst]) {
            return [ScriptFacts]::AddedKey($target.Target, [ScriptFacts]::KeyName($target.Index), $line)
        }
        return $null
    }

    static [hashtable] MemberAccess([MemberExpressionAst]$access) {
        $member = [ScriptFacts]::KeyName($access.Member)
        if ($null -eq $member) { $member = $access.Member.Extent.Text }
        return [ScriptFacts]::At($access.Member.Extent, @{
                target       = $access.Expression.Extent.Text
                targetIsType = $access.Expression -is [TypeExpressionAst]
                member       = $member
                isStatic     = $access.Static
                isInvocation = $access -is [InvokeMemberExpressionAst]
            })
    }

    # PowerShell 7 syntax, by token: its own kinds, a line starting with `|`, number literals and `u{} escapes,
    # also inside the $(...) of expandable strings.
    static [void] CollectSyntax([Token[]]$tokens, [List[object]]$found) {
        $previous = 'NewLine'
        foreach ($token in $tokens) {
            $kind = [string]$token.Kind
            $construct = $null
            if ([ScriptFacts]::Ps7TokenKinds.Contains($kind)) { $construct = $kind }
            elseif ($kind -eq 'Pipe' -and $previous -eq 'NewLine') { $construct = 'LeadingPipe' }
            elseif ($kind -eq 'Number' -and $token.Text -match [ScriptFacts]::Ps7NumberPattern) { $construct = 'NumberSuffix' }
            elseif ($token -is [StringExpandableToken] -and $token.Text -match [ScriptFacts]::UnicodeEscapePattern) { $construct = 'UnicodeEscape' }
            if ($null -ne $construct) { $found.Add([ScriptFacts]::At($token.Extent, @{ kind = $construct; text = [ScriptFacts]::FirstLine($token.Text) })) }
            if ($token -is [StringExpandableToken] -and $null -ne $token.NestedTokens) { [ScriptFacts]::CollectSyntax($token.NestedTokens, $found) }
            if ($kind -ne 'Comment' -and $kind -ne 'LineContinuation') { $previous = $kind }
        }
    }

    static [hashtable] Read([string]$file) {
        $fullPath = [IO.Path]::GetFullPath($file)
        $bytes = [IO.File]::ReadAllBytes($fullPath)
        $lines = [Text.Encoding]::UTF8.GetString($bytes) -split '\r?\n'
        $firstNonAsciiLine = $null
        for ($index = 0; $index -lt $lines.Count; $index++) {
            if ($lines[$index] -match '[^\x00-\x7F]') { $firstNonAsciiLine = $index + 1; break }
        }
        [Token[]]$tokens = $null
        [ParseError[]]$parseErrors = $null
        $ast = [Parser]::ParseFile($fullPath, [ref]$tokens, [ref]$parseErrors)
        $syntax = [List[object]]::new()
        [ScriptFacts]::CollectSyntax($tokens, $syntax)

        $errors = [List[object]]::new()
        foreach ($parseError in $parseErrors) {
            $errors.Add([ScriptFacts]::At($parseError.Extent, @{
                        errorId = $parseError.ErrorId
                        message = $parseError.Message
                        text    = [ScriptFacts]::FirstLine($parseError.Extent.Text)
                        endLine = $parseError.Extent.EndLineNumber
                    }))
        }
        $commands = [List[object]]::new(); $functions = [List[object]]::new(); $assignments = [List[object]]::new()
        $memberAccesses = [List[object]]::new(); $hashtables = [List[object]]::new(); $flowControl = [List[object]]::new()
        $variables = [List[object]]::new()
        foreach ($node in $ast.FindAll({ $true }, $true)) {
            if ($node -is [CommandAst]) { $commands.Add([ScriptFacts]::Command($node)) }
            elseif ($node -is [FunctionDefinitionAst]) { $functions.Add(@{ name = $node.Name; line = $node.Extent.StartLineNumber }) }
            elseif ($node -is [AssignmentStatementAst]) { $assignments.Add([ScriptFacts]::Assignment($node)) }
            elseif ($node -is [MemberExpressionAst]) { $memberAccesses.Add([ScriptFacts]::MemberAccess($node)) }
            elseif ($node -is [VariableExpressionAst]) { $variables.Add([ScriptFacts]::At($node.Extent, @{ name = $node.VariablePath.UserPath })) }
            elseif ($node -is [ExitStatementAst]) { $flowControl.Add(@{ keyword = 'exit'; line = $node.Extent.StartLineNumber }) }
            elseif ($node -is [ReturnStatementAst]) { $flowControl.Add(@{ keyword = 'return'; line = $node.Extent.StartLineNumber }) }
            elseif ($node -is [ThrowStatementAst]) { $flowControl.Add(@{ keyword = 'throw'; line = $node.Extent.StartLineNumber }) }
            if ($node -is [AssignmentStatementAst] -or $node -is [InvokeMemberExpressionAst]) {
                $table = [ScriptFacts]::Hashtable($node)
                if ($null -ne $table) { $hashtables.Add($table) }
            }
        }
        return @{
            file              = $file
            hasBom            = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
            firstNonAsciiLine = $firstNonAsciiLine
            errors            = $errors.ToArray()
            commands          = $commands.ToArray()
            functions         = $functions.ToArray()
            assignments       = $assignments.ToArray()
            memberAccesses    = $memberAccesses.ToArray()
            hashtables        = $hashtables.ToArray()
            flowControl       = $flowControl.ToArray()
            variables         = $variables.ToArray()
            syntax            = $syntax.ToArray()
        }
    }
}

$report = @{
    parser = "System.Management.Automation.Language.Parser, PowerShell $($PSVersionTable.PSVersion)"
    files  = @(foreach ($file in $Path) { [ScriptFacts]::Read($file) })
}
ConvertTo-Json -InputObject $report -Depth 10 -Compress
