-- :CodeMySpec start checks the name where it is typed, with the server's rule: extra words
-- are refused with the server's reason (nothing starts); a context whose design is already
-- valid asks first (declining starts nothing, accepting starts); after :CodeMySpec cancel,
-- :CodeMySpec next says the session has ended.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup({ execution_mode = 'manual' })
  local state = require('codemyspec.state')
  local answer
  local asked = {}
  vim.ui.select = function(items, opts, on_choice)
    table.insert(asked, opts.prompt)
    for i, item in ipairs(items) do
      if item.id == answer then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(H.workspace, 'docs/design/shop/catalog.md')))
  local client = H.client(vim.api.nvim_get_current_buf())
  local function count()
    return #H.execute(client, 'codemyspec/listSessions', vim.empty_dict()).sessions
  end
  local function said_after(command)
    local before = #H.notes
    pcall(vim.cmd, command)
    H.wait(20000, function()
      return #H.notes > before
    end, 'a message for ' .. command)
    vim.wait(300) -- anything said right after
    return table.concat(vim.list_slice(H.notes, before + 1), ' / ')
  end

  -- Extra words: refused with the server's message, nothing started.
  local refused = said_after('CodeMySpec start Shipping Gateway')
  io.stdout:write('REFUSED: ', refused, '\n')
  H.check(refused:find("'Shipping Gateway' is not a context module name", 1, true), refused)
  H.check(count() == 0 and state.current == nil, 'a session started for Shipping Gateway')
  refused = said_after('CodeMySpec start shop.orders')
  H.check(refused:find("'shop.orders' is not a context module name", 1, true), refused)

  -- Catalog's design is valid (the demo's): asked first; declined, nothing starts.
  answer = 'stop'
  local declined = said_after('CodeMySpec start Catalog')
  local question = asked[#asked] or ''
  io.stdout:write('ASKED: ', question, '\n')
  H.check(question:find('Shop.Catalog already has a valid design in docs/design/shop/catalog.md', 1, true), question)
  H.check(declined:find('not started', 1, true), declined)
  H.check(count() == 0, 'declining started a session')

  -- Accepted: the session starts.
  answer = 'start'
  said_after('CodeMySpec start Catalog')
  H.wait(20000, function()
    return state.current ~= nil
  end, 'the accepted session')
  H.check(count() == 1, 'sessions: ' .. count())

  -- Cancelled, then next: it says the session has ended.
  said_after('CodeMySpec cancel')
  local after = said_after('CodeMySpec next')
  io.stdout:write('AFTER CANCEL: ', after, '\n')
  H.check(after:find('has already ended (cancelled', 1, true), after)
  H.pass('start checks')
end)
