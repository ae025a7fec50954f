-- Neovim 0.11 config for vim.lsp.enable('codemyspec'); override with vim.lsp.config().
return require('codemyspec.lsp').base_config()
