"""The audit domain's errors: none so far. Recording never refuses (it runs inside the action's transaction), and
`verify_chain` reports a broken link as its result rather than raising."""
