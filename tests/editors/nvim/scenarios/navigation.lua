-- Navigation across designs, as a person does it: `gd` on a dependency jumps to the design
-- that defines it, `grr` lists the references in the quickfix list, and renaming the context
-- Shop.Catalog to Shop.Products (vim.lsp.buf.rename) moves its design file and edits every
-- design that names it; the edited buffers are written for pytest to check on disk.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local ws = H.workspace
  local catalog = vim.fs.joinpath(ws, 'docs/design/shop/catalog.md')
  local orders = vim.fs.joinpath(ws, 'docs/design/shop/orders.md')
  local client = H.session(nil, orders)
  H.check(client.server_capabilities.definitionProvider, 'the server offers no definition')

  local function cursor_on(text)
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    for i, line in ipairs(lines) do
      local col = line:find(text, 1, true)
      if col then
        vim.api.nvim_win_set_cursor(0, { i, col })
        return
      end
    end
    H.fail(text .. ' not in ' .. vim.api.nvim_buf_get_name(0))
  end

  -- gd on the dependency Shop.Catalog: the catalog design opens.
  cursor_on('Shop.Catalog: ')
  vim.cmd('normal gd')
  H.wait(20000, function()
    return vim.api.nvim_buf_get_name(0) == catalog
  end, 'gd to open catalog.md (now ' .. vim.api.nvim_buf_get_name(0) .. ')')
  io.stdout:write('GD: ', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'), ':', vim.fn.line('.'), '\n')

  -- grr on the context's own heading: every reference, in the quickfix list.
  cursor_on('Shop.Catalog')
  vim.fn.setqflist({}, 'r')
  vim.cmd('normal grr')
  H.wait(20000, function()
    return #vim.fn.getqflist() > 0
  end, 'grr to fill the quickfix list')
  for _, item in ipairs(vim.fn.getqflist()) do
    io.stdout:write('REF: ', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(item.bufnr), ':t'), ':', item.lnum, '\n')
  end
  vim.cmd('cclose')

  -- Rename the context: the file moves, every design naming it is edited.
  vim.cmd.edit(vim.fn.fnameescape(catalog))
  cursor_on('Shop.Catalog')
  H.client(vim.api.nvim_get_current_buf()) -- attaches to a newly opened buffer on its own time
  vim.lsp.buf.rename('Shop.Products')
  local products = vim.fs.joinpath(ws, 'docs/design/shop/products.md')
  H.wait(30000, function()
    return vim.uv.fs_stat(products) ~= nil and vim.uv.fs_stat(catalog) == nil
  end, 'the design file to move')
  H.wait(10000, function()
    local text = table.concat(vim.fn.getbufline(vim.fn.bufnr(orders), 1, '$'), '\n')
    return text:find('Shop.Products', 1, true) ~= nil
  end, 'orders.md to be edited')
  vim.cmd('silent wall')
  H.check(vim.fn.bufnr(catalog) == -1 or not vim.api.nvim_buf_is_loaded(vim.fn.bufnr(catalog)), 'catalog.md still open')
  H.pass('navigation')
end)
