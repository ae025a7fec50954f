-- The README's lazy.nvim spec, loaded the way lazy.nvim loads a `dir` spec that is not lazy
-- (lazy.nvim itself cannot be installed offline): put `dir` on the runtimepath, source its
-- plugin/ files, call config(plugin, opts). Then a design buffer gets diagnostics.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local spec = dofile(assert(os.getenv('CMS_TEST_SPEC')))
  H.check(type(spec) == 'table' and type(spec.dir) == 'string', 'spec has no dir')
  local dir = vim.fs.normalize(spec.dir)
  H.check(vim.fn.isdirectory(dir) == 1, 'spec.dir does not exist: ' .. dir)
  H.check(spec.lazy == false or spec.event or spec.ft or spec.cmd, 'spec never loads')
  vim.opt.rtp:prepend(dir)
  for _, file in ipairs(vim.fn.glob(dir .. '/plugin/**/*.lua', false, true)) do
    vim.cmd.source(vim.fn.fnameescape(file))
  end
  local opts = type(spec.opts) == 'table' and spec.opts or {}
  if type(spec.config) == 'function' then
    spec.config({ dir = dir, name = 'codemyspec' }, opts)
  else
    require(spec.main or 'codemyspec').setup(opts)
  end
  H.check(vim.fn.exists(':CodeMySpec') == 2, ':CodeMySpec is not defined')

  local _, buf = H.open(assert(os.getenv('CMS_TEST_FILE')))
  H.wait_codes(buf)
  H.help_works('codemyspec')
  H.pass('lazy spec works')
end)
