-- Defines :CodeMySpec. The server starts through require('codemyspec').setup() or
-- vim.lsp.enable('codemyspec') (lsp/codemyspec.lua), never just by loading the plugin.
if vim.g.loaded_codemyspec then
  return
end
vim.g.loaded_codemyspec = true

vim.api.nvim_create_user_command('CodeMySpec', function(args)
  require('codemyspec.commands').dispatch(args)
end, {
  nargs = '+',
  desc = 'CodeMySpec design sessions: start, next, run, sessions, show, cancel, agents, graph',
  complete = function(arglead, cmdline)
    return require('codemyspec.commands').complete(arglead, cmdline)
  end,
})
