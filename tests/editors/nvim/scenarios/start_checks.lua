-- :CodeMySpec start checks the name where it is typed, with the server's rule: extra words
-- are refused with the server's reason (nothing starts); a context whose design is already
-- valid asks first (declining starts nothing, accepting starts); after :CodeMySpec cancel,
-- :CodeMySpec next says the session has ended.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'manual' })
  local state = require('codemyspec.state')
  local answer
  H.answer(function()
    return answer
  end)
  local function count()
    return #H.execute(client, 'codemyspec/listSessions', vim.empty_dict()).sessions
  end
  local said_after = H.said_after

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
  local question = (H.asked[#H.asked] or {}).prompt or ''
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
